import Foundation
import PostgresClient
import VigilCore
import VigilPrimitives

public struct StoredAnomalyDetector: Sendable {
    public var id: UUID
    public var specJSON: String
    public var createdAt: Date
    public var updatedAt: Date
    public var lastScannedAt: Date?
    public var lastError: String?
}

/// Anomaly detectors, their bucket history and their findings, RLS-scoped to the workspace.
public struct AnomalyRepository: Sendable {
    public init() {}

    static let detectorColumns = "id, spec, created_at, updated_at, last_scanned_at, last_error"
    static let anomalyColumns = "id, detector_id, bucket, detected_at, detector, value, expected, direction, score, severity, alert_id"

    public func insertDetector(id: UUID, name: String, specJSON: String, enabled: Bool, at now: Date, workspaceID: UUID,
                               on connection: Transaction) async throws -> Bool {
        try await connection.execute("""
            INSERT INTO anomaly_detectors (workspace_id, id, name, spec, enabled, created_at, updated_at)
            VALUES (\(workspaceID), \(id), \(name), \(specJSON)::jsonb, \(enabled), \(now), \(now))
            ON CONFLICT (workspace_id, name) DO NOTHING
            """) == 1
    }

    public func updateDetector(id: UUID, name: String, specJSON: String, enabled: Bool, at now: Date,
                               on connection: Transaction) async throws -> AlertRuleRepository.UpdateOutcome {
        if try await connection.query("SELECT 1 AS taken FROM anomaly_detectors WHERE name = \(name) AND id <> \(id)").first != nil {
            return .nameTaken
        }
        // A changed definition makes the stored history meaningless: it is rebuilt from the rollups.
        try await connection.execute("DELETE FROM anomaly_detector_values WHERE detector_id = \(id)")
        let changed = try await connection.execute("""
            UPDATE anomaly_detectors SET name = \(name), spec = \(specJSON)::jsonb, enabled = \(enabled), updated_at = \(now) WHERE id = \(id)
            """)
        return changed == 1 ? .updated : .notFound
    }

    public func deleteDetector(id: UUID, on connection: Transaction) async throws -> Bool {
        try await connection.execute("DELETE FROM anomaly_detectors WHERE id = \(id)") > 0
    }

    public func findDetector(id: UUID, on connection: Transaction) async throws -> StoredAnomalyDetector? {
        try await connection.query("SELECT \(unescaped: Self.detectorColumns) FROM anomaly_detectors WHERE id = \(id)").first.map(Self.detector)
    }

    public func listDetectors(after afterName: String?, limit: Int, on connection: Transaction) async throws -> [StoredAnomalyDetector] {
        try await connection.query("""
            SELECT \(unescaped: Self.detectorColumns) FROM anomaly_detectors
             WHERE (\(afterName)::text IS NULL OR name COLLATE "C" > \(afterName)) ORDER BY name COLLATE "C" LIMIT \(limit)
            """).map(Self.detector)
    }

    public func enabledDetectors(on connection: Transaction) async throws -> [StoredAnomalyDetector] {
        try await connection.query("SELECT \(unescaped: Self.detectorColumns) FROM anomaly_detectors WHERE enabled ORDER BY id").map(Self.detector)
    }

    public func recordScan(detectorID: UUID, at now: Date, error: String?, on connection: Transaction) async throws {
        try await connection.execute("UPDATE anomaly_detectors SET last_scanned_at = \(now), last_error = \(error) WHERE id = \(detectorID)")
    }

    /// The stored history of one detector from `since` on.
    public func values(detectorID: UUID, since: Date, on connection: Transaction) async throws -> (values: [Date: Double], last: Date?) {
        var values: [Date: Double] = [:]
        var last: Date?
        for row in try await connection.query("""
            SELECT bucket, value FROM anomaly_detector_values WHERE detector_id = \(detectorID) AND bucket >= \(since) ORDER BY bucket
            """) {
            let bucket = try row.decode("bucket", as: Date.self)
            last = bucket
            if let value = try row.decode("value", as: Double?.self) { values[bucket] = value }
        }
        return (values, last)
    }

    public func saveValues(_ values: [(bucket: Date, value: Double?)], detectorID: UUID, workspaceID: UUID, on connection: Transaction) async throws {
        guard !values.isEmpty else { return }
        let buckets = values.map { TimestampText.utc(microsecondsSince1970: $0.bucket.microsecondsSince1970) }
        // No data travels as '' (NULL after NULLIF): the text array binding has no NULL elements.
        let numbers = values.map { $0.value.map { String($0) } ?? "" }
        try await connection.execute("""
            INSERT INTO anomaly_detector_values (workspace_id, detector_id, bucket, value)
            SELECT \(workspaceID), \(detectorID), b, NULLIF(v, '')::double precision
              FROM unnest(\(buckets)::timestamptz[], \(numbers)::text[]) AS t(b, v)
            ON CONFLICT (workspace_id, detector_id, bucket) DO UPDATE SET value = EXCLUDED.value
            """)
    }

    public func pruneValues(before: Date, on connection: Transaction) async throws {
        try await connection.execute("DELETE FROM anomaly_detector_values WHERE bucket < \(before)")
    }

    /// False when the detector already has an anomaly for that bucket.
    public func insertAnomaly(_ anomaly: AnomalyRecord, workspaceID: UUID, on connection: Transaction) async throws -> Bool {
        let f = anomaly.finding
        return try await connection.execute("""
            INSERT INTO anomalies (workspace_id, id, detector_id, bucket, detected_at, detector, value, expected, direction, score, severity, alert_id)
            VALUES (\(workspaceID), \(anomaly.id), \(anomaly.detectorID), \(anomaly.bucket), \(anomaly.detectedAt), \(f.detector.rawValue),
                    \(f.value), \(f.expected), \(f.direction.rawValue), \(f.score), \(anomaly.severity.rawValue), \(anomaly.alertID))
            ON CONFLICT (workspace_id, detector_id, bucket) DO NOTHING
            """) == 1
    }

    public func setAlert(anomalyID: UUID, alertID: UUID, on connection: Transaction) async throws {
        try await connection.execute("UPDATE anomalies SET alert_id = \(alertID) WHERE id = \(anomalyID)")
    }

    /// Newest bucket first.
    public func anomalies(_ filter: AnomalyFilter, after cursor: TimeCursor?, limit: Int, on connection: Transaction) async throws -> [AnomalyRecord] {
        let after = cursor.map { Date(microsecondsSince1970: $0.createdAtMicros) }
        let severities = AlertSeverity.allCases.filter { $0 >= (filter.minSeverity ?? .info) }.map(\.rawValue)
        return try await connection.query("""
            SELECT \(unescaped: Self.anomalyColumns) FROM anomalies
             WHERE (\(filter.detectorID)::uuid IS NULL OR detector_id = \(filter.detectorID))
               AND severity = ANY(\(severities)::text[])
               AND (\(filter.since)::timestamptz IS NULL OR bucket >= \(filter.since))
               AND (\(after)::timestamptz IS NULL OR (bucket, id) < (\(after), \(cursor?.id)))
             ORDER BY bucket DESC, id DESC LIMIT \(limit)
            """).map(Self.anomaly)
    }

    public func anomaly(id: UUID, on connection: Transaction) async throws -> AnomalyRecord? {
        try await connection.query("SELECT \(unescaped: Self.anomalyColumns) FROM anomalies WHERE id = \(id)").first.map(Self.anomaly)
    }

    public func pruneAnomalies(before: Date, on connection: Transaction) async throws {
        try await connection.execute("DELETE FROM anomalies WHERE bucket < \(before)")
    }

    public func workspacesWithDetectors(on connection: Transaction) async throws -> [UUID] {
        try await connection.query("SELECT w AS id FROM vigil_workspaces_with_anomaly_detectors() AS w").map { try $0.decode("id", as: UUID.self) }
    }

    static func detector(_ row: PostgresRow) throws -> StoredAnomalyDetector {
        StoredAnomalyDetector(id: try row.decode("id", as: UUID.self), specJSON: try row.decode("spec", as: PostgresJSON.self).raw,
                              createdAt: try row.decode("created_at", as: Date.self), updatedAt: try row.decode("updated_at", as: Date.self),
                              lastScannedAt: try row.decode("last_scanned_at", as: Date?.self), lastError: try row.decode("last_error", as: String?.self))
    }

    static func anomaly(_ row: PostgresRow) throws -> AnomalyRecord {
        let finding = AnomalyFinding(detector: AnomalyDetectorKind(rawValue: try row.decode("detector", as: String.self)) ?? .zscore,
                                     value: try row.decode("value", as: Double.self), expected: try row.decode("expected", as: Double.self),
                                     direction: AnomalyDirection(rawValue: try row.decode("direction", as: String.self)) ?? .above,
                                     score: try row.decode("score", as: Double.self))
        return AnomalyRecord(id: try row.decode("id", as: UUID.self), detectorID: try row.decode("detector_id", as: UUID.self),
                             bucket: try row.decode("bucket", as: Date.self), detectedAt: try row.decode("detected_at", as: Date.self),
                             finding: finding, severity: AlertSeverity(rawValue: try row.decode("severity", as: String.self)) ?? .low,
                             alertID: try row.decode("alert_id", as: UUID?.self))
    }
}
