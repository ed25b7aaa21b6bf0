import Foundation
import PostgresClient
import VigilCore

/// SLO definitions, their evaluations, and the good/total counts read from metric points.
public struct SLORepository: Sendable {
    public init() {}

    public func insert(id: UUID, specJSON: String, workspaceID: UUID, on connection: Transaction) async throws -> Date {
        try await connection.query("""
            INSERT INTO slos (workspace_id, id, spec) VALUES (\(workspaceID), \(id), \(specJSON)::jsonb) RETURNING created_at
            """).first!.decode("created_at", as: Date.self)
    }

    public func all(on connection: Transaction) async throws -> [(id: UUID, specJSON: String, createdAt: Date)] {
        try await connection.query("SELECT id, spec, created_at FROM slos ORDER BY created_at, id").map {
            (try $0.decode("id", as: UUID.self), try $0.decode("spec", as: PostgresJSON.self).raw, try $0.decode("created_at", as: Date.self))
        }
    }

    public func find(id: UUID, on connection: Transaction) async throws -> (specJSON: String, createdAt: Date)? {
        try await connection.query("SELECT spec, created_at FROM slos WHERE id = \(id)").first.map {
            (try $0.decode("spec", as: PostgresJSON.self).raw, try $0.decode("created_at", as: Date.self))
        }
    }

    @discardableResult
    public func delete(id: UUID, on connection: Transaction) async throws -> Bool {
        try await connection.execute("DELETE FROM slos WHERE id = \(id)") > 0
    }

    public func insertEvaluation(_ e: SLOEvaluationRecord, sloID: UUID, workspaceID: UUID, on connection: Transaction) async throws {
        try await connection.execute("""
            INSERT INTO slo_evaluations (workspace_id, slo_id, evaluated_at, window_start, good, total, compliance, budget_remaining,
                                         burn_1h, burn_6h, decision, status)
            VALUES (\(workspaceID), \(sloID), \(e.evaluatedAt), \(e.windowStart), \(e.good), \(e.total), \(e.compliance), \(e.budgetRemaining),
                    \(e.burn1h), \(e.burn6h), \(e.decision), \(e.status))
            ON CONFLICT DO NOTHING
            """)
    }

    public func evaluations(sloID: UUID, since: Date, limit: Int, on connection: Transaction) async throws -> [SLOEvaluationRecord] {
        try await connection.query("""
            SELECT evaluated_at, window_start, good, total, compliance, budget_remaining, burn_1h, burn_6h, decision, status FROM slo_evaluations
             WHERE slo_id = \(sloID) AND evaluated_at >= \(since) ORDER BY evaluated_at DESC LIMIT \(limit)
            """).map { row in
            SLOEvaluationRecord(evaluatedAt: try row.decode("evaluated_at", as: Date.self), windowStart: try row.decode("window_start", as: Date.self),
                                good: try row.decode("good", as: Double.self), total: try row.decode("total", as: Double.self),
                                compliance: try row.decode("compliance", as: Double?.self), budgetRemaining: try row.decode("budget_remaining", as: Double.self),
                                burn1h: try row.decode("burn_1h", as: Double.self), burn6h: try row.decode("burn_6h", as: Double.self),
                                decision: try row.decode("decision", as: String.self), status: try row.decode("status", as: String.self))
        }
    }

    /// Points of `metric` at or under the threshold, and all of them, in [from, to).
    public func latencyCounts(metric: String, tags: [String: String], thresholdMs: Double, from: Date, to: Date,
                              on connection: Transaction) async throws -> SLOCounts {
        let row = try await connection.query("""
            SELECT count(*) FILTER (WHERE p.value <= \(thresholdMs))::double precision AS good, count(*)::double precision AS total
              FROM metric_points p JOIN metric_series s ON s.workspace_id = p.workspace_id AND s.series_id = p.series_id
             WHERE s.name = \(metric) AND s.tags @> \(Self.json(tags))::jsonb AND p.ts >= \(from) AND p.ts < \(to)
            """).first!
        return SLOCounts(good: try row.decode("good", as: Double.self), total: try row.decode("total", as: Double.self))
    }

    /// Sum of the values of `metric` (a counter's increments) in [from, to).
    public func counterSum(metric: String, tags: [String: String], from: Date, to: Date, on connection: Transaction) async throws -> Double {
        try await connection.query("""
            SELECT coalesce(sum(p.value), 0)::double precision AS n
              FROM metric_points p JOIN metric_series s ON s.workspace_id = p.workspace_id AND s.series_id = p.series_id
             WHERE s.name = \(metric) AND s.tags @> \(Self.json(tags))::jsonb AND p.ts >= \(from) AND p.ts < \(to)
            """).first!.decode("n", as: Double.self)
    }

    /// Per value of the status tag: the sum of values and the number of points, in [from, to).
    public func statusCounts(metric: String, tagKey: String, tags: [String: String], from: Date, to: Date,
                             on connection: Transaction) async throws -> [(status: String, sum: Double, points: Double)] {
        try await connection.query("""
            SELECT coalesce(s.tags ->> \(tagKey), '') AS status, sum(p.value)::double precision AS total, count(*)::double precision AS points
              FROM metric_points p JOIN metric_series s ON s.workspace_id = p.workspace_id AND s.series_id = p.series_id
             WHERE s.name = \(metric) AND s.tags @> \(Self.json(tags))::jsonb AND p.ts >= \(from) AND p.ts < \(to)
             GROUP BY 1
            """).map { (try $0.decode("status", as: String.self), try $0.decode("total", as: Double.self), try $0.decode("points", as: Double.self)) }
    }

    public func metricKind(name: String, on connection: Transaction) async throws -> String? {
        try await connection.query("SELECT kind FROM metric_names WHERE name = \(name)").first?.decode("kind", as: String.self)
    }

    static func json(_ tags: [String: String]) -> String {
        // try? is safe: a [String: String] always encodes; this is writing, not reading a row.
        String(decoding: (try? JSONEncoder.sortedKeysForKPI.encode(tags)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
