import Foundation
import PostgresClient
import VigilCore

/// A series as stored: its id and tags.
public struct StoredSeries: Sendable, Equatable {
    public var id: Int64
    public var tags: [String: String]
}

/// One rollup row (partial or compacted) of a series.
public struct StoredRollup: Sendable {
    public var seriesID: Int64
    public var resolution: RollupResolution
    public var bucket: Date
    public var sketch: QuantileSketch
    /// False for a partial row not yet merged by compaction.
    public var compacted: Bool = true
}

/// Metric reads, RLS-scoped to the transaction's workspace.
public struct MetricReadRepository: Sendable {
    public init() {}

    /// Names in name order, after `afterName` (paging).
    public func names(after afterName: String?, limit: Int, on connection: Transaction) async throws -> [StoredMetricName] {
        try await connection.query("""
            SELECT name, kind, first_seen, last_seen FROM metric_names
             WHERE (\(afterName)::text IS NULL OR name > \(afterName))
             ORDER BY name COLLATE "C" LIMIT \(limit)
            """).map { row in
            StoredMetricName(name: try row.decode("name", as: String.self),
                             kind: MetricKind(rawValue: try row.decode("kind", as: String.self)) ?? .gauge,
                             firstSeen: try row.decode("first_seen", as: Date.self), lastSeen: try row.decode("last_seen", as: Date.self))
        }
    }

    /// The workspace's metrics read version (migration 0030): grows with every committed
    /// statement that writes its rollups or series, so equal readings mean unchanged answers.
    public func readVersion(on connection: Transaction) async throws -> Int64 {
        try await connection.query("SELECT coalesce(sum(version), 0)::bigint AS version FROM metrics_read_version")
            .first?.decode("version", as: Int64.self) ?? 0
    }

    public func kind(of name: String, on connection: Transaction) async throws -> MetricKind? {
        try await connection.query("SELECT kind FROM metric_names WHERE name = \(name)").first
            .flatMap { MetricKind(rawValue: try $0.decode("kind", as: String.self)) }
    }

    /// The series of `name` whose tags include every `filters` pair.
    public func series(named name: String, filters: [String: String], on connection: Transaction) async throws -> [StoredSeries] {
        let filter = String(decoding: try JSONSerialization.data(withJSONObject: filters, options: [.sortedKeys]), as: UTF8.self)
        return try await connection.query("""
            SELECT series_id, tags FROM metric_series WHERE name = \(name) AND tags @> \(filter)::jsonb
            """).map { row in
            StoredSeries(id: try row.decode("series_id", as: Int64.self),
                         tags: try row.decode("tags", as: PostgresJSON.self).decode([String: String].self))
        }
    }

    /// Every series of the workspace (for the Prometheus export), with its name.
    public func allSeries(limit: Int, on connection: Transaction) async throws -> [(name: String, series: StoredSeries)] {
        try await connection.query("SELECT name, series_id, tags FROM metric_series ORDER BY name, series_id LIMIT \(limit)").map { row in
            (try row.decode("name", as: String.self),
             StoredSeries(id: try row.decode("series_id", as: Int64.self),
                          tags: try row.decode("tags", as: PostgresJSON.self).decode([String: String].self)))
        }
    }

    /// The rollup rows of `seriesIDs` that `plan` names, in one statement (one round trip and
    /// one snapshot). Hour ranges read hour rows plus the minute partials compaction has not
    /// yet folded into them (hour rows hold exactly the compacted minutes): as one snapshot, a
    /// compaction committing meanwhile is seen wholly or not at all, never counted twice.
    public func rollups(seriesIDs: [Int64], plan: RollupPlan, on connection: Transaction) async throws -> [StoredRollup] {
        guard !seriesIDs.isEmpty, !plan.isEmpty else { return [] }
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 256, interpolationCount: 8)
        sql.appendLiteral("SELECT series_id, resolution, bucket, sketch FROM metric_rollups WHERE series_id = ANY(")
        sql.appendInterpolation(seriesIDs.map(String.init))
        sql.appendLiteral("::bigint[]) AND ")
        Self.appendRanges(of: plan, columnsOf: "metric_rollups", to: &sql)
        return try await connection.query(PostgresQuery(stringInterpolation: sql)).map(Self.rollup)
    }

    /// A metric's kind and the rollup rows of one of its series, in one statement: the stats
    /// of a metric with no filter read its total series only, and this makes that read (with
    /// its transaction) one round trip. Nil when the workspace has no metric of that name.
    public func kindAndRollups(of name: String, seriesID: Int64, plan: RollupPlan,
                               on connection: Transaction) async throws -> (kind: MetricKind, rollups: [StoredRollup])? {
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 256, interpolationCount: 8)
        sql.appendLiteral("SELECT n.kind, r.series_id, r.resolution, r.bucket, r.sketch FROM metric_names n LEFT JOIN metric_rollups r ON r.series_id = ")
        sql.appendInterpolation(seriesID)
        sql.appendLiteral(" AND ")
        if plan.isEmpty { sql.appendLiteral("false") } else { Self.appendRanges(of: plan, columnsOf: "r", to: &sql) }
        sql.appendLiteral(" WHERE n.name = ")
        sql.appendInterpolation(name)
        let rows = try await connection.query(PostgresQuery(stringInterpolation: sql))
        guard let first = rows.first, let kind = MetricKind(rawValue: try first.decode("kind", as: String.self)) else { return nil }
        // A metric with no rollup in the plan's ranges is one row with no rollup columns.
        let rollups = try rows.rows.filter { try $0.decode("series_id", as: Int64?.self) != nil }.map(Self.rollup)
        return (kind, rollups)
    }

    /// `(<range> OR <range> …)` over `table`'s resolution, compacted and bucket columns.
    private static func appendRanges(of plan: RollupPlan, columnsOf table: String, to sql: inout PostgresQuery.StringInterpolation) {
        let ranges = (plan.hours.map { [(RollupResolution.hour, $0)] } ?? []) + plan.minutes.map { (RollupResolution.minute, $0) }
        sql.appendLiteral("(")
        for (position, (resolution, range)) in ranges.enumerated() {
            let condition = resolution == .hour
                ? "(\(table).resolution = 3600 OR (\(table).resolution = 60 AND NOT \(table).compacted))" : "\(table).resolution = 60"
            sql.appendLiteral("\(position == 0 ? "" : " OR ")(\(condition) AND \(table).bucket >= ")
            sql.appendInterpolation(range.lowerBound)
            sql.appendLiteral(" AND \(table).bucket < ")
            sql.appendInterpolation(range.upperBound)
            sql.appendLiteral(")")
        }
        sql.appendLiteral(")")
    }

    private static func rollup(_ row: PostgresRow) throws -> StoredRollup {
        StoredRollup(seriesID: try row.decode("series_id", as: Int64.self),
                     resolution: RollupResolution(rawValue: try row.decode("resolution", as: Int.self)) ?? .minute,
                     bucket: try row.decode("bucket", as: Date.self),
                     sketch: try QuantileSketch(decoding: [UInt8](try row.decode("sketch", as: Data.self))))
    }

    /// The latest value of each series seen since `since` (gauges' current value).
    public func latestValues(seriesIDs: [Int64], since: Date, on connection: Transaction) async throws -> [Int64: Double] {
        guard !seriesIDs.isEmpty else { return [:] }
        var latest: [Int64: Double] = [:]
        for row in try await connection.query("""
            SELECT DISTINCT ON (series_id) series_id, value FROM metric_points
             WHERE series_id = ANY(\(seriesIDs.map(String.init))::bigint[]) AND ts >= \(since)
             ORDER BY series_id, ts DESC
            """) {
            latest[try row.decode("series_id", as: Int64.self)] = try row.decode("value", as: Double.self)
        }
        return latest
    }
}

extension MetricReadRepository {
    /// All-time (within retention) count and sum per series, from the hour rollups and the
    /// minute partials not yet folded into them.
    public func totals(seriesIDs: [Int64], on connection: Transaction) async throws -> [Int64: (count: Int, sum: Double)] {
        guard !seriesIDs.isEmpty else { return [:] }
        var totals: [Int64: (count: Int, sum: Double)] = [:]
        for row in try await connection.query("""
            SELECT series_id, sum(count)::bigint AS n, sum(sum) AS total FROM metric_rollups
             WHERE (resolution = 3600 OR (resolution = 60 AND NOT compacted))
               AND series_id = ANY(\(seriesIDs.map(String.init))::bigint[])
             GROUP BY series_id
            """) {
            totals[try row.decode("series_id", as: Int64.self)] = (try row.decode("n", as: Int.self), try row.decode("total", as: Double.self))
        }
        return totals
    }

    /// Every metric name with its kind.
    public func allKinds(on connection: Transaction) async throws -> [String: MetricKind] {
        var kinds: [String: MetricKind] = [:]
        for row in try await connection.query("SELECT name, kind FROM metric_names") {
            kinds[try row.decode("name", as: String.self)] = MetricKind(rawValue: try row.decode("kind", as: String.self))
        }
        return kinds
    }
}
