import Foundation
import VigilPrimitives
import PostgresClient
import VigilCore

/// The metrics write path (migration 0005), inside the ingest transaction of
/// `Database.inWorkspace`: names and series upserted, then points and partial rollups, each
/// with one INSERT over arrays.
public struct MetricWriteRepository: Sendable {
    public init() {}

    /// Records the names (creating or refreshing last_seen); returns the stored kind of each,
    /// which differs from the sent one when a client changes a metric's kind.
    public func upsertNames(_ names: [(name: String, kind: MetricKind, lastSeen: Date)], workspaceID: UUID,
                            on connection: Transaction) async throws -> [String: MetricKind] {
        guard !names.isEmpty else { return [:] }
        let sorted = names.sorted { $0.name < $1.name }   // one lock order for concurrent batches
        let rows = try await connection.query("""
            INSERT INTO metric_names (workspace_id, name, kind, last_seen)
            SELECT \(workspaceID), n, k, t
              FROM unnest(\(sorted.map(\.name))::text[], \(sorted.map(\.kind.rawValue))::text[],
                          \(sorted.map { TimestampText.utc(microsecondsSince1970: $0.lastSeen.microsecondsSince1970) })::timestamptz[])
                   AS u(n, k, t)
            ON CONFLICT (workspace_id, name) DO UPDATE SET last_seen = greatest(metric_names.last_seen, excluded.last_seen)
            RETURNING name, kind
            """)
        var stored: [String: MetricKind] = [:]
        for row in rows {
            stored[try row.decode("name", as: String.self)] = MetricKind(rawValue: try row.decode("kind", as: String.self))
        }
        return stored
    }

    /// Creates the series that do not exist yet; returns how many it created (for the cap).
    @discardableResult
    public func insertSeries(_ series: [(id: Int64, key: SeriesKey)], workspaceID: UUID, on connection: Transaction) async throws -> Int {
        guard !series.isEmpty else { return 0 }
        let sorted = series.sorted { $0.id < $1.id }
        let tags = try sorted.map { entry -> String in
            let object = Dictionary(entry.key.tags.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        return try await connection.query("""
            WITH created AS (
                INSERT INTO metric_series (workspace_id, series_id, name, tags)
                SELECT \(workspaceID), s, n, t
                  FROM unnest(\(sorted.map { String($0.id) })::bigint[], \(sorted.map(\.key.name))::text[], \(tags)::jsonb[]) AS u(s, n, t)
                ON CONFLICT (workspace_id, series_id) DO NOTHING
                RETURNING 1)
            SELECT count(*)::integer AS n FROM created
            """).first!.decode("n", as: Int.self)
    }

    /// Inserts the points with one statement over arrays. (COPY is not an option: PostgreSQL
    /// refuses COPY FROM into a table with row-level security, and tenancy matters more.)
    @discardableResult
    public func insertPoints(_ points: [(seriesID: Int64, point: MetricPoint)], workspaceID: UUID,
                             on connection: Transaction) async throws -> Int {
        guard !points.isEmpty else { return 0 }
        var series: [String] = [], times: [String] = [], values: [String] = []
        series.reserveCapacity(points.count)
        times.reserveCapacity(points.count)
        values.reserveCapacity(points.count)
        for entry in points {
            series.append(String(entry.seriesID))
            times.append(TimestampText.utc(microsecondsSince1970: entry.point.timestamp.microsecondsSince1970))
            values.append(String(entry.point.value))
        }
        try await connection.query("""
            INSERT INTO metric_points (workspace_id, series_id, ts, value)
            SELECT \(workspaceID), s, t, v FROM unnest(\(series)::bigint[], \(times)::timestamptz[], \(values)::float8[]) AS u(s, t, v)
            """)
        return points.count
    }

    public func insertRollups(_ partials: [RollupPartial], workspaceID: UUID, compacted: Bool = false,
                              on connection: Transaction) async throws {
        guard !partials.isEmpty else { return }
        try await connection.query("""
            INSERT INTO metric_rollups (workspace_id, series_id, resolution, bucket, count, sum, min, max, sketch, compacted)
            SELECT \(workspaceID), s, r, b, c, su, mi, ma, decode(sk, 'hex'), \(compacted)
              FROM unnest(\(partials.map { String($0.seriesID) })::bigint[], \(partials.map { String($0.resolution.rawValue) })::integer[],
                          \(partials.map { TimestampText.utc(microsecondsSince1970: $0.bucket.microsecondsSince1970) })::timestamptz[],
                          \(partials.map { String($0.sketch.count) })::bigint[], \(partials.map { String($0.sketch.sum) })::float8[],
                          \(partials.map { String($0.sketch.min ?? 0) })::float8[], \(partials.map { String($0.sketch.max ?? 0) })::float8[],
                          \(partials.map { Hex.encode($0.sketch.encoded()) })::text[])
                   AS u(s, r, b, c, su, mi, ma, sk)
            """)
    }
}
