import Foundation
import VigilCore
import PostgresClient

/// Queries behind /readyz, /health and the worker's heartbeat.
public struct OperationsRepository: Sendable {
    public init() {}

    public func ping(on connection: Transaction) async throws {
        try await connection.query("SELECT 1")
    }

    /// Versions recorded in schema_migrations with their checksums.
    /// The ledger as `SchemaVerdict` reads it (the compatibility flag through to_jsonb, so a
    /// ledger from before the flag existed reads as "not compatible" instead of failing).
    public func appliedMigrations(on connection: Transaction) async throws -> [SchemaVerdict.Applied] {
        try await connection.query("""
            SELECT version, name, checksum, coalesce((to_jsonb(m) ->> 'backward_compatible')::boolean, false) AS compatible
              FROM schema_migrations m
            """).map { row in
            SchemaVerdict.Applied(version: try row.decode("version", as: Int.self), name: try row.decode("name", as: String.self),
                                  checksum: try row.decode("checksum", as: String.self), backwardCompatible: try row.decode("compatible", as: Bool.self))
        }
    }

    /// Seconds since the most recent heartbeat of any worker, nil when none ever beat.
    public func youngestHeartbeatAge(on connection: Transaction) async throws -> Double? {
        try await connection.query("""
            SELECT extract(epoch FROM now() - max(last_seen_at))::double precision AS age FROM worker_heartbeats
            """).first?.decode("age", as: Double?.self)
    }

    public func beat(id: UUID, host: String, pid: Int32, version: String, startedAt: Date, jobsRunning: Int,
                     on connection: Transaction) async throws {
        try await connection.query("""
            INSERT INTO worker_heartbeats (id, host, pid, version, started_at, last_seen_at, jobs_running)
            VALUES (\(id), \(host), \(pid), \(version), \(startedAt), now(), \(jobsRunning))
            ON CONFLICT (id) DO UPDATE SET last_seen_at = now(), jobs_running = EXCLUDED.jobs_running
            """)
    }

    /// Forgets heartbeats not seen for a day, so dead workers do not accumulate.
    public func pruneHeartbeats(on connection: Transaction) async throws {
        try await connection.query("DELETE FROM worker_heartbeats WHERE last_seen_at < now() - interval '1 day'")
    }
}
