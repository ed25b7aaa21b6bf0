import Foundation
import PostgresClient
import VigilCore

/// Facts for the retention and audit-readiness reports, read in the current workspace.
public struct ComplianceFactsRepository: Sendable {
    public init() {}

    /// Each data class's table and time column (security events have no table yet).
    static let dataClassTables: [String: (table: String, column: String, condition: String)] = [
        "metrics": ("metric_points", "ts", "true"),
        "alerts": ("alerts", "resolved_at", "state = 'resolved'"),
        "notifications": ("notifications", "created_at", "true"),
        "audit_log": ("audit_log", "occurred_at", "true"),
        "security_events": ("auth_failures", "minute", "true"),  // aggregated failed authentications (0012)
        "kpis": ("kpi_events", "ts", "true"),
    ]

    /// The oldest row and the rows older than `cutoff` of a data class; nil for a class with no table.
    public func retentionFacts(dataClass: String, cutoff: Date, on connection: Transaction) async throws -> (oldest: Date?, pastPolicy: Int)? {
        guard let source = Self.dataClassTables[dataClass] else { return nil }
        let row = try await connection.query("""
            SELECT min(\(unescaped: source.column)) AS oldest,
                   count(*) FILTER (WHERE \(unescaped: source.column) < \(cutoff))::bigint AS past
              FROM \(unescaped: source.table) WHERE \(unescaped: source.condition)
            """).first!
        return (try row.decode("oldest", as: Date?.self), try row.decode("past", as: Int.self))
    }

    /// Audit entries since `from`, counted by action and actor type.
    public func auditActionCounts(since from: Date, on connection: Transaction) async throws -> [(action: String, actorType: String, count: Int)] {
        try await connection.query("""
            SELECT action, actor_type, sum(n)::bigint AS n FROM (
                SELECT action, actor_type, count(*) AS n FROM audit_log WHERE occurred_at >= \(from) GROUP BY action, actor_type
                UNION ALL
                -- Failed authentications are aggregated outside the chain (migration 0012); they
                -- count here as the `auth.failed` rows they used to be.
                SELECT 'auth.failed', 'anonymous', sum(count) FROM auth_failures
                 WHERE kind = 'auth_failed' AND minute >= date_trunc('minute', \(from)::timestamptz) HAVING sum(count) > 0
            ) counted
             GROUP BY action, actor_type ORDER BY action, actor_type
            """).map { (try $0.decode("action", as: String.self), try $0.decode("actor_type", as: String.self), try $0.decode("n", as: Int.self)) }
    }

    /// Every key of the workspace (a handful; the inventory lists them all).
    public func allKeys(workspaceID: UUID, on connection: Transaction) async throws -> [ApiKey] {
        var keys: [ApiKey] = []
        var cursor: TimeCursor?
        while true {
            let page = try await ApiKeyRepository().list(workspaceID: workspaceID, limit: 500, after: cursor, on: connection)
            keys += page
            guard page.count == 500, let last = page.last else { return keys }
            cursor = TimeCursor(createdAt: last.createdAt, id: last.id)
        }
    }
}
