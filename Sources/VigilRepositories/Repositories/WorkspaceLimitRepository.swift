import Foundation
import PostgresClient
import VigilCore

/// The counts behind the per-workspace limits (`WorkspaceLimits`). Each count is taken under a
/// transaction-scoped advisory lock on (workspace, what is counted), so two API processes
/// creating at the same moment queue on the lock and the second sees the first's row: the
/// count plus the insert cannot overshoot the cap. The lock is released at commit/rollback.
public struct WorkspaceLimitRepository: Sendable {
    public init() {}

    /// Arbitrary constant naming this lock space in pg_advisory_xact_lock(int, int).
    static let lockSpace: Int32 = 0x5647_4C4D

    /// The table of each capped configuration kind; a closed set, so safe to splice into SQL.
    static func table(_ kind: ConfigObjectKind) -> String {
        switch kind {
        case .silence: return "silences"
        case .route: return "notification_routes"
        case .channel: return "notification_channels"
        case .escalationPolicy: return "escalation_policies"
        case .inhibitRule: return "inhibit_rules"
        case .slo: return "slos"
        case .kpi: return "kpi_definitions"
        case .alertRule: return "alert_rules"
        case .anomalyDetector: return "anomaly_detectors"
        }
    }

    /// Locks the workspace's `kind` until the transaction ends, then counts its stored rows.
    public func lockAndCount(_ kind: ConfigObjectKind, workspaceID: UUID, on connection: Transaction) async throws -> Int {
        try await lock("config:\(kind.rawValue)", workspaceID: workspaceID, on: connection)
        return try await connection.query("""
            SELECT count(*)::integer AS n FROM \(unescaped: Self.table(kind)) WHERE workspace_id = \(workspaceID)
            """).first!.decode("n", as: Int.self)
    }

    /// Locks the workspace's report requests, then counts its queued or running reports.
    public func lockAndCountReportsInFlight(workspaceID: UUID, on connection: Transaction) async throws -> Int {
        try await lock("reports", workspaceID: workspaceID, on: connection)
        return try await connection.query("""
            SELECT count(*)::integer AS n FROM compliance_reports
             WHERE workspace_id = \(workspaceID) AND state IN ('queued', 'running')
            """).first!.decode("n", as: Int.self)
    }

    /// Locks the workspace's series creation until the transaction ends. Taken only by
    /// batches that may create series, so the steady state (known series) never waits on it.
    public func lockSeries(workspaceID: UUID, on connection: Transaction) async throws {
        try await lock("series", workspaceID: workspaceID, on: connection)
    }

    /// The workspace's stored series: an index-only count over the primary key
    /// (workspace_id, series_id), run only after a batch actually created series.
    public func countSeries(workspaceID: UUID, on connection: Transaction) async throws -> Int {
        try await connection.query("""
            SELECT count(*)::integer AS n FROM metric_series WHERE workspace_id = \(workspaceID)
            """).first!.decode("n", as: Int.self)
    }

    func lock(_ what: String, workspaceID: UUID, on connection: Transaction) async throws {
        try await connection.query("""
            SELECT pg_advisory_xact_lock(\(Self.lockSpace), hashtext(\(workspaceID.uuidString.lowercased() + ":" + what)))
            """)
    }
}
