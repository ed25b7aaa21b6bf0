import Foundation
import PostgresClient
import VigilCore

/// A stored baseline: one metric and group's profile over the previous 7 days.
public struct StoredBaseline: Sendable, Equatable {
    public var metric: String
    public var group: String
    public var profile: LatencyProfile
    public var computedAt: Date

    public init(metric: String, group: String, profile: LatencyProfile, computedAt: Date) {
        self.metric = metric
        self.group = group
        self.profile = profile
        self.computedAt = computedAt
    }
}

/// Performance baselines, RLS-scoped to the workspace.
public struct PerformanceBaselineRepository: Sendable {
    public init() {}

    /// Replaces the workspace's baselines with `baselines`.
    public func replace(_ baselines: [StoredBaseline], workspaceID: UUID, on connection: Transaction) async throws {
        try await connection.execute("DELETE FROM performance_baselines")
        for b in baselines {
            try await connection.execute("""
                INSERT INTO performance_baselines (workspace_id, metric, group_value, samples, p50, p95, p99, computed_at)
                VALUES (\(workspaceID), \(b.metric), \(b.group), \(b.profile.samples), \(b.profile.p50), \(b.profile.p95), \(b.profile.p99), \(b.computedAt))
                """)
        }
    }

    public func all(on connection: Transaction) async throws -> [StoredBaseline] {
        try await connection.query("""
            SELECT metric, group_value, samples, p50, p95, p99, computed_at FROM performance_baselines ORDER BY metric, group_value
            """).map { row in
            StoredBaseline(metric: try row.decode("metric", as: String.self), group: try row.decode("group_value", as: String.self),
                           profile: LatencyProfile(samples: try row.decode("samples", as: Int.self), p50: try row.decode("p50", as: Double?.self),
                                                   p95: try row.decode("p95", as: Double?.self), p99: try row.decode("p99", as: Double?.self)),
                           computedAt: try row.decode("computed_at", as: Date.self))
        }
    }

    public func workspacesWithTimings(on connection: Transaction) async throws -> [UUID] {
        try await connection.query("SELECT w AS id FROM vigil_workspaces_with_timings() AS w").map { try $0.decode("id", as: UUID.self) }
    }
}
