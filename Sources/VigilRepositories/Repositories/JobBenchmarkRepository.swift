import Foundation
import PostgresClient

/// The queries of `vigil bench jobs`: bulk enqueue and timings read back from the jobs table
/// (all on the database's clock). Runs in the workspace of the benchmark's jobs.
public struct JobBenchmarkRepository: Sendable {
    public init() {}

    /// Enqueues `count` jobs of `kind` with one statement and one notification.
    public func enqueueMany(kind: String, count: Int, workspaceID: UUID, on connection: Transaction) async throws {
        try await connection.query("""
            INSERT INTO jobs (workspace_id, kind, max_attempts)
            SELECT \(workspaceID), \(kind), 3 FROM generate_series(1, \(count))
            """)
        try await connection.query("SELECT pg_notify(\(JobRepository.notificationChannel), \(kind))")
    }

    /// Jobs of `kind` not yet finished.
    public func unfinished(kind: String, on connection: Transaction) async throws -> Int {
        try await connection.query("""
            SELECT count(*) AS n FROM jobs WHERE kind = \(kind) AND state IN ('available', 'retryable', 'running')
            """).first?.decode("n", as: Int.self) ?? 0
    }

    /// First claim to last finish of the succeeded jobs of `kind`, in seconds, and their number.
    public func drainSpan(kind: String, on connection: Transaction) async throws -> (jobs: Int, seconds: Double) {
        guard let row = try await connection.query("""
            SELECT count(*) AS n,
                   extract(epoch FROM max(finished_at) - min(locked_at))::double precision AS seconds
              FROM jobs WHERE kind = \(kind) AND state = 'succeeded'
            """).first else { return (0, 0) }
        return (try row.decode("n", as: Int.self), try row.decode("seconds", as: Double?.self) ?? 0)
    }

    /// Enqueue-to-claim latency percentiles (milliseconds) of the jobs of `kind`.
    public func claimLatency(kind: String, on connection: Transaction) async throws -> (p50: Double, p99: Double, count: Int) {
        guard let row = try await connection.query("""
            SELECT count(*) AS n,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM locked_at - created_at) * 1000)::double precision AS p50,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM locked_at - created_at) * 1000)::double precision AS p99
              FROM jobs WHERE kind = \(kind) AND state = 'succeeded'
            """).first else { return (0, 0, 0) }
        return (try row.decode("p50", as: Double?.self) ?? 0, try row.decode("p99", as: Double?.self) ?? 0,
                try row.decode("n", as: Int.self))
    }
}
