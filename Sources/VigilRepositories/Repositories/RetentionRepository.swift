import Foundation
import PostgresClient

/// A tenant table whose rows expire: rows of `dataClass` older than the workspace's retention
/// for that class (by `timeColumn`), optionally only those matching `condition` (e.g. resolved
/// alerts only). The registry is code, never input: the names are spliced into SQL.
public struct RetentionTarget: Sendable, Equatable {
    public var table: String
    public var timeColumn: String
    public var dataClass: String
    /// Extra SQL condition on rows that may be deleted (nil: all expired rows).
    public var condition: String?
    /// Rows are kept at least this long whatever the class's retention says (a ledger the
    /// code still consults, e.g. which digest periods were sent).
    public var minimumDays: Int
    /// A lifetime fixed by Vigil, not by the workspace's settings (nil: the workspace's
    /// retention for `dataClass`). Idempotency keys are remembered 24 hours, whatever the class.
    public var fixedDays: Int?

    public init(table: String, timeColumn: String, dataClass: String, condition: String? = nil, minimumDays: Int = 1,
                fixedDays: Int? = nil) {
        self.table = table
        self.timeColumn = timeColumn
        self.dataClass = dataClass
        self.condition = condition
        self.minimumDays = minimumDays
        self.fixedDays = fixedDays
    }

    /// Every tenant table with expiring rows. Features add their tables here along with the
    /// migration that creates them (and grants vigil_app DELETE on them).
    public static let all: [RetentionTarget] = [
        RetentionTarget(table: "metric_points", timeColumn: "ts", dataClass: "metrics"),
        RetentionTarget(table: "metric_rollups", timeColumn: "bucket", dataClass: "metrics"),
        RetentionTarget(table: "metric_names", timeColumn: "last_seen", dataClass: "metrics"),
        // Only resolved alerts expire (their timeline goes with them, ON DELETE CASCADE); an open
        // alert is kept however old it is.
        RetentionTarget(table: "alerts", timeColumn: "resolved_at", dataClass: "alerts", condition: "state = 'resolved'"),
        RetentionTarget(table: "notifications", timeColumn: "created_at", dataClass: "notifications"),
        // Aggregated failed authentications (migration 0012) are security events.
        RetentionTarget(table: "auth_failures", timeColumn: "minute", dataClass: "security_events"),
        // Security intelligence (migration 0021): events (also dropped by whole daily
        // partitions), detections and the block log. security_ips is pruned by the attack scan
        // once a score has decayed; an address idle past retention and not blocked goes here too.
        RetentionTarget(table: "security_events", timeColumn: "ts", dataClass: "security_events"),
        RetentionTarget(table: "security_detections", timeColumn: "detected_at", dataClass: "security_events"),
        RetentionTarget(table: "security_block_log", timeColumn: "at", dataClass: "security_events"),
        RetentionTarget(table: "security_ips", timeColumn: "updated_at", dataClass: "security_events",
                        condition: "blocked_until IS NULL OR blocked_until < now()"),
        // KPIs and SLOs (migration 0009): events by their time, rollups by the end of their
        // period (a month is kept until all of it is past retention), evaluations by when made.
        RetentionTarget(table: "kpi_events", timeColumn: "ts", dataClass: "kpis"),
        RetentionTarget(table: "kpi_rollups", timeColumn: "period_end", dataClass: "kpis"),
        RetentionTarget(table: "slo_evaluations", timeColumn: "evaluated_at", dataClass: "kpis"),
        // The digest ledger says which periods were sent: a row must outlive its (at most
        // weekly) period, or the digest would go out again.
        RetentionTarget(table: "digests_sent", timeColumn: "sent_at", dataClass: "notifications", minimumDays: 35),
        // Remembered Idempotency-Keys (migration 0022) live 24 hours from their first use; a
        // lookup already ignores an expired one, this only frees the space.
        RetentionTarget(table: "idempotency_keys", timeColumn: "created_at", dataClass: "idempotency", fixedDays: 1),
        // Expired silences are kept for a while, as Alertmanager keeps them (its
        // --data.retention), so a tenant can see what was silenced; then they go.
        RetentionTarget(table: "silences", timeColumn: "ends_at", dataClass: "alerts"),
    ]
}

/// Row-by-row retention for one workspace: runs inside `Database.inWorkspace`, so row-level
/// security confines the delete to that workspace.
public struct RetentionRepository: Sendable {
    public init() {}

    /// Deletes at most `limit` rows of `target` older than `cutoff`; returns how many. Small
    /// batches, each in its own short transaction, keep locks brief on a busy table.
    public func deleteExpired(_ target: RetentionTarget, before cutoff: Date, limit: Int,
                              on connection: Transaction) async throws -> Int {
        let extra = target.condition.map { " AND (\($0))" } ?? ""
        // (tableoid, ctid) names a row even in a partitioned table, where ctid alone repeats.
        return try await connection.query("""
            WITH doomed AS (
                SELECT tableoid, ctid FROM \(unescaped: target.table)
                 WHERE \(unescaped: target.timeColumn) < \(cutoff)\(unescaped: extra)
                 LIMIT \(limit)
            ), deleted AS (
                DELETE FROM \(unescaped: target.table) t USING doomed d
                 WHERE t.tableoid = d.tableoid AND t.ctid = d.ctid
                RETURNING 1
            )
            SELECT count(*) AS n FROM deleted
            """).first?.decode("n", as: Int.self) ?? 0
    }

    /// Deletes at most `limit` metric series that no point and no rollup refers to any more
    /// (their data has aged out), created before `createdBefore`; returns how many. A series
    /// id is a hash of its name and tags, so a series sent again later is simply recreated
    /// with the same id (and any point an API process wrote for it meanwhile is found again).
    public func pruneUnreferencedSeries(createdBefore: Date, limit: Int, on connection: Transaction) async throws -> Int {
        try await connection.query("""
            WITH doomed AS (
                SELECT s.workspace_id, s.series_id FROM metric_series s
                 WHERE s.created_at < \(createdBefore)
                   AND NOT EXISTS (SELECT 1 FROM metric_points p WHERE p.workspace_id = s.workspace_id AND p.series_id = s.series_id)
                   AND NOT EXISTS (SELECT 1 FROM metric_rollups r
                                    WHERE r.workspace_id = s.workspace_id AND r.resolution IN (60, 3600) AND r.series_id = s.series_id)
                 LIMIT \(limit)
            ), deleted AS (
                DELETE FROM metric_series t USING doomed d
                 WHERE t.workspace_id = d.workspace_id AND t.series_id = d.series_id
                RETURNING 1
            )
            SELECT count(*) AS n FROM deleted
            """).first?.decode("n", as: Int.self) ?? 0
    }
}
