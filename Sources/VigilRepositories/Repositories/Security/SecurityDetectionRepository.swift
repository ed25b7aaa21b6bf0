import Foundation
import PostgresClient
import VigilCore
import VigilPrimitives

/// Detected attacks, RLS-scoped to the workspace.
public struct SecurityDetectionRepository: Sendable {
    public init() {}

    static let columns = "id, kind, subject, sources, evidence, window_start, detected_at, alert_id"

    /// False when the same kind and subject was already found in that window.
    public func insert(_ record: SecurityDetectionRecord, on connection: Transaction) async throws -> Bool {
        let f = record.finding
        let evidence = CanonicalJSON.object(f.evidence.mapValues { .string($0) }).text
        return try await connection.execute("""
            INSERT INTO security_detections (workspace_id, id, kind, subject, sources, evidence, window_start, detected_at, alert_id)
            VALUES (vigil_current_workspace(), \(record.id), \(f.kind.rawValue), \(f.subject), \(f.sources)::text[], \(evidence)::jsonb,
                    \(record.windowStart), \(record.detectedAt), \(record.alertID))
            ON CONFLICT (workspace_id, kind, subject, window_start) DO NOTHING
            """) == 1
    }

    public func setAlert(detectionID: UUID, alertID: UUID, on connection: Transaction) async throws {
        try await connection.execute("UPDATE security_detections SET alert_id = \(alertID) WHERE id = \(detectionID)")
    }

    /// Newest first, detected at or after `since`.
    public func list(since: Date, limit: Int, on connection: Transaction) async throws -> [SecurityDetectionRecord] {
        try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM security_detections WHERE detected_at >= \(since)
             ORDER BY detected_at DESC, id DESC LIMIT \(limit)
            """).map(Self.record)
    }

    public func counts(since: Date, on connection: Transaction) async throws -> [AttackKind: Int] {
        var out: [AttackKind: Int] = [:]
        for row in try await connection.query("SELECT kind, count(*) AS n FROM security_detections WHERE detected_at >= \(since) GROUP BY kind") {
            if let kind = AttackKind(rawValue: try row.decode("kind", as: String.self)) { out[kind] = try row.decode("n", as: Int.self) }
        }
        return out
    }

    static func record(_ row: PostgresRow) throws -> SecurityDetectionRecord {
        let evidenceJSON = try row.decode("evidence", as: PostgresJSON.self).raw
        let evidence = (try? JSONDecoder().decode([String: String].self, from: Data(evidenceJSON.utf8))) ?? [:]
        let kind = AttackKind(rawValue: try row.decode("kind", as: String.self)) ?? .sqlInjectionCampaign
        let finding = AttackFinding(kind: kind, subject: try row.decode("subject", as: String.self), sources: try row.decode("sources", as: [String].self),
                                    evidence: evidence, points: AttackDetection.pointsPerFinding)
        return SecurityDetectionRecord(id: try row.decode("id", as: UUID.self), finding: finding, windowStart: try row.decode("window_start", as: Date.self),
                                       detectedAt: try row.decode("detected_at", as: Date.self), alertID: try row.decode("alert_id", as: UUID?.self))
    }
}
