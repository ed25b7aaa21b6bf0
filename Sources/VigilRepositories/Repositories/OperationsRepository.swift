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

    /// What the login this connection authenticated as (session_user: the transaction's SET LOCAL
    /// ROLE does not change it) could do on its own: bypass row-level security as a superuser
    /// or with BYPASSRLS, or become the owner of the tables (vigil_owner or any table's owner).
    public func loginPrivileges(on connection: Transaction) async throws -> LoginPrivileges {
        guard let row = try await connection.query("""
            SELECT r.rolsuper AS superuser, r.rolbypassrls AS bypass,
                   (pg_has_role(session_user, 'vigil_owner', 'MEMBER')
                    OR EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public'
                                  AND pg_has_role(session_user, c.relowner, 'MEMBER'))) AS owner_member
              FROM pg_roles r WHERE r.rolname = session_user
            """).first else {
            throw StorageError(kind: .failure, message: "the session user has no pg_roles row")
        }
        return LoginPrivileges(superuser: try row.decode("superuser", as: Bool.self), bypassesRLS: try row.decode("bypass", as: Bool.self),
                               ownerMember: try row.decode("owner_member", as: Bool.self))
    }

    /// Seconds since the most recent heartbeat of any worker, nil when none ever beat.
    public func youngestHeartbeatAge(on connection: Transaction) async throws -> Double? {
        try await connection.query("""
            SELECT extract(epoch FROM now() - max(last_seen_at))::double precision AS age FROM worker_heartbeats
            """).first?.decode("age", as: Double?.self)
    }

    /// The read replica's view of its own replay (run on the replica, `DATABASE_READ_URL`):
    /// whether it is a standby, whether a WAL receiver is streaming, whether it has replayed
    /// all it received, and the age of the last commit it replayed. Every function here is
    /// executable by any login; `pg_stat_wal_receiver` shows an unprivileged login only the
    /// receiver's pid, which is all that is asked.
    public func replicaObservation(on connection: Transaction) async throws -> ReplicaObservation {
        guard let row = try await connection.query("""
            SELECT pg_is_in_recovery() AS in_recovery,
                   EXISTS (SELECT 1 FROM pg_stat_wal_receiver) AS receiving,
                   coalesce(pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(), false) AS caught_up,
                   extract(epoch FROM now() - pg_last_xact_replay_timestamp())::double precision AS replay_age
            """).first else {
            throw StorageError(kind: .failure, message: "the replica status query returned no row")
        }
        return ReplicaObservation(inRecovery: try row.decode("in_recovery", as: Bool.self), receiving: try row.decode("receiving", as: Bool.self),
                                  caughtUp: try row.decode("caught_up", as: Bool.self),
                                  replayAgeSeconds: try row.decode("replay_age", as: Double?.self))
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
