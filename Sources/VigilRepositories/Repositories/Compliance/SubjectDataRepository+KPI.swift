import Foundation
import VigilPrimitives
import PostgresClient
import VigilCore

/// One KPI's events and rollups that share a dimension set (`dimension_id` is its canonical
/// form): the unit a data subject is found and erased in, like a metric series.
public struct SubjectKPIGroup: Sendable, Equatable {
    public var kpiKey: String
    public var dimensionID: String
    public var dimensionsJSON: String
}

// MARK: KPI events and rollups whose dimensions mention the subject.
extension SubjectDataRepository {
    public func matchingKPIGroups(_ q: SubjectQuery, on connection: Transaction) async throws -> [SubjectKPIGroup] {
        try await connection.query("""
            SELECT kpi_key, dimension_id, dimensions::text AS dimensions
              FROM (SELECT kpi_key, dimension_id, dimensions FROM kpi_events
                    UNION SELECT kpi_key, dimension_id, dimensions FROM kpi_rollups) g
             WHERE EXISTS (SELECT 1 FROM jsonb_each_text(g.dimensions) t, unnest(\(q.terms)::text[]) term
                            WHERE strpos(lower(t.value), term) > 0)
                OR EXISTS (SELECT 1 FROM unnest(\(q.keys)::text[], \(q.values)::text[]) AS c(k, v) WHERE g.dimensions ->> c.k = c.v)
             ORDER BY kpi_key, dimension_id
            """).map { SubjectKPIGroup(kpiKey: try $0.decode("kpi_key", as: String.self), dimensionID: try $0.decode("dimension_id", as: String.self),
                                       dimensionsJSON: try $0.decode("dimensions", as: String.self)) }
    }

    public func countKPIRows(_ groups: [SubjectKPIGroup], on connection: Transaction) async throws -> (events: Int, rollups: Int) {
        guard !groups.isEmpty else { return (0, 0) }
        let keys = groups.map(\.kpiKey), ids = groups.map(\.dimensionID)
        let row = try await connection.query("""
            SELECT (SELECT count(*) FROM kpi_events e JOIN unnest(\(keys)::text[], \(ids)::text[]) AS g(k, i)
                      ON e.kpi_key = g.k AND e.dimension_id = g.i)::bigint AS events,
                   (SELECT count(*) FROM kpi_rollups r JOIN unnest(\(keys)::text[], \(ids)::text[]) AS g(k, i)
                      ON r.kpi_key = g.k AND r.dimension_id = g.i)::bigint AS rollups
            """).first!
        return (try row.decode("events", as: Int.self), try row.decode("rollups", as: Int.self))
    }

    /// The groups' events, oldest first per KPI, at most `limit`.
    public func kpiEvents(_ groups: [SubjectKPIGroup], limit: Int, on connection: Transaction) async throws -> [[String: String]] {
        guard !groups.isEmpty else { return [] }
        return try await connection.query("""
            SELECT e.kpi_key, e.stream, e.ts, e.value, e.dimensions::text AS dimensions
              FROM kpi_events e JOIN unnest(\(groups.map(\.kpiKey))::text[], \(groups.map(\.dimensionID))::text[]) AS g(k, i)
                ON e.kpi_key = g.k AND e.dimension_id = g.i
             ORDER BY e.kpi_key, e.ts LIMIT \(limit)
            """).map { row in
            ["kpi_key": try row.decode("kpi_key", as: String.self), "stream": try row.decode("stream", as: String?.self) ?? "",
             "ts": TimestampText.utc(microsecondsSince1970: try row.decode("ts", as: Date.self).microsecondsSince1970),
             "value": String(try row.decode("value", as: Double.self)), "dimensions": try row.decode("dimensions", as: String.self)]
        }
    }

    /// The groups' rollups, by KPI and period, at most `limit`.
    public func kpiRollups(_ groups: [SubjectKPIGroup], limit: Int, on connection: Transaction) async throws -> [[String: String]] {
        guard !groups.isEmpty else { return [] }
        return try await connection.query("""
            SELECT r.kpi_key, r.kind, r.period_start, r.dimensions::text AS dimensions, r.count, r.sum
              FROM kpi_rollups r JOIN unnest(\(groups.map(\.kpiKey))::text[], \(groups.map(\.dimensionID))::text[]) AS g(k, i)
                ON r.kpi_key = g.k AND r.dimension_id = g.i
             ORDER BY r.kpi_key, r.kind, r.period_start LIMIT \(limit)
            """).map { row in
            ["kpi_key": try row.decode("kpi_key", as: String.self), "kind": try row.decode("kind", as: String.self),
             "period_start": TimestampText.utc(microsecondsSince1970: try row.decode("period_start", as: Date.self).microsecondsSince1970),
             "dimensions": try row.decode("dimensions", as: String.self), "count": String(try row.decode("count", as: Int64.self)),
             "sum": String(try row.decode("sum", as: Double.self))]
        }
    }

    /// Deletes the groups' events and rollups. The other groups' rollups are untouched, so a
    /// KPI's totals (summed over groups at read time) no longer count the subject.
    public func deleteKPIGroups(_ groups: [SubjectKPIGroup], on connection: Transaction) async throws -> (events: Int, rollups: Int) {
        guard !groups.isEmpty else { return (0, 0) }
        let keys = groups.map(\.kpiKey), ids = groups.map(\.dimensionID)
        let events = try await connection.execute("""
            DELETE FROM kpi_events e USING unnest(\(keys)::text[], \(ids)::text[]) AS g(k, i) WHERE e.kpi_key = g.k AND e.dimension_id = g.i
            """)
        let rollups = try await connection.execute("""
            DELETE FROM kpi_rollups r USING unnest(\(keys)::text[], \(ids)::text[]) AS g(k, i) WHERE r.kpi_key = g.k AND r.dimension_id = g.i
            """)
        return (events, rollups)
    }
}
