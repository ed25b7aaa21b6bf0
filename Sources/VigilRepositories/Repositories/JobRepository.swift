import Foundation
import PostgresClient
import VigilCore

/// All SQL of the job queue. Enqueue and reads run as vigil_app under the workspace's RLS scope
/// (inside `Database.inWorkspace`); worker operations go through the SECURITY DEFINER
/// functions of migration 0002, which work across workspaces.
public struct JobRepository: Sendable {
    /// NOTIFY channel woken on every enqueue; the payload is the job's kind.
    public static let notificationChannel = "vigil_jobs"

    public init() {}

    /// Inserts the job and notifies workers, both inside the caller's transaction (so a
    /// rolled-back enqueue neither exists nor wakes anyone). Returns the new id, or nil when a
    /// pending job with the same unique key exists (nothing is inserted then).
    @discardableResult
    public func enqueue(_ job: NewJob, on connection: Transaction) async throws -> Int64? {
        let rows = try await connection.query("""
            INSERT INTO jobs (workspace_id, kind, args, priority, run_at, max_attempts, unique_key, correlation_id)
            VALUES (\(job.workspaceID), \(job.kind), \(PostgresJSON(raw: job.argsJSON)), \(Int(job.priority))::smallint,
                    coalesce(\(job.runAt), now()), \(job.maxAttempts)::integer, \(job.uniqueKey), \(job.correlationID))
            ON CONFLICT (workspace_id, unique_key) WHERE state IN ('available', 'running', 'retryable') DO NOTHING
            RETURNING id
            """)
        guard let id = try rows.first?.decode("id", as: Int64.self) else { return nil }
        try await connection.query("SELECT pg_notify(\(Self.notificationChannel), \(job.kind))")
        return id
    }

    /// Claims up to `max` runnable jobs for `worker`, fairly across workspaces.
    /// `perWorkspace`: most jobs one workspace may have running at once across every worker
    /// (platform jobs are not capped; migration 0020). `kindCaps`: most jobs of each named kind
    /// running at once across every worker (migration 0028).
    public func claim(worker: String, max: Int, perWorkspace: Int, kindCaps: [String: Int] = [:],
                      on connection: Transaction) async throws -> [ClaimedJob] {
        let rows = try await connection.query("""
            SELECT workspace_id, id, kind, args, priority, attempt, max_attempts, run_at, unique_key, correlation_id, locked_at
              FROM vigil_claim_jobs(\(worker), \(max)::integer, \(perWorkspace)::integer, \(try PostgresJSON(encoding: kindCaps))::jsonb)
            """)
        return try rows.map(Self.claimedJob)
    }

    /// Marks the job succeeded; false if it is no longer this worker's.
    public func complete(workspaceID: UUID, id: Int64, worker: String, on connection: Transaction) async throws -> Bool {
        try await connection.query("SELECT vigil_complete_job(\(workspaceID), \(id), \(worker)) AS done")
            .first?.decode("done", as: Bool.self) ?? false
    }

    /// Marks many jobs succeeded in one statement; returns the ids that were still this
    /// worker's (the others' results are dropped: they were rescued or released).
    public func complete(_ jobs: [JobReference], worker: String, on connection: Transaction) async throws -> Set<Int64> {
        guard !jobs.isEmpty else { return [] }
        let workspaces = jobs.map { $0.workspaceID.uuidString.lowercased() }
        let ids = jobs.map { String($0.id) }
        let rows = try await connection.query(
            "SELECT id FROM vigil_complete_jobs(\(workspaces)::uuid[], \(ids)::bigint[], \(worker))")
        return Set(try rows.map { try $0.decode("id", as: Int64.self) })
    }

    /// Records a failure: retryable after `retryAfter` (measured on the database's clock), or
    /// discarded when out of attempts or `retryAfter` is nil. Returns the new state, nil if the
    /// job is no longer this worker's.
    public func fail(
        workspaceID: UUID, id: Int64, worker: String, error: String, retryAfter: Duration?, on connection: Transaction
    ) async throws -> JobState? {
        let milliseconds = retryAfter.map(JobBackoff.milliseconds)
        let text = try await connection.query("""
            SELECT vigil_fail_job(\(workspaceID), \(id), \(worker), \(error),
                                  now() + \(milliseconds)::double precision * interval '1 millisecond') AS state
            """).first?.decode("state", as: String?.self)
        return text.flatMap(JobState.init(rawValue:))
    }

    @discardableResult
    public func heartbeat(worker: String, on connection: Transaction) async throws -> Int {
        try await connection.query("SELECT vigil_heartbeat_jobs(\(worker)) AS n").first?.decode("n", as: Int.self) ?? 0
    }

    @discardableResult
    public func rescueStale(olderThan stale: Duration, on connection: Transaction) async throws -> Int {
        try await connection.query("""
            SELECT vigil_rescue_stale_jobs(\(JobBackoff.milliseconds(stale))::double precision * interval '1 millisecond') AS n
            """).first?.decode("n", as: Int.self) ?? 0
    }

    @discardableResult
    public func release(worker: String, on connection: Transaction) async throws -> Int {
        try await connection.query("SELECT vigil_release_jobs(\(worker)) AS n").first?.decode("n", as: Int.self) ?? 0
    }

    /// One job of the current workspace (RLS-scoped), for status and tests.
    public func find(id: Int64, on connection: Transaction) async throws -> JobRecord? {
        try await connection.query("""
            SELECT workspace_id, id, kind, state, attempt, max_attempts, run_at, last_error, finished_at, unique_key
              FROM jobs WHERE id = \(id)
            """).first.map(Self.record)
    }

    static func claimedJob(_ row: PostgresRow) throws -> ClaimedJob {
        ClaimedJob(
            workspaceID: try row.decode("workspace_id", as: UUID.self),
            id: try row.decode("id", as: Int64.self),
            kind: try row.decode("kind", as: String.self),
            argsJSON: try row.decode("args", as: PostgresJSON.self).raw,
            priority: Int16(clamping: try row.decode("priority", as: Int.self)),
            attempt: try row.decode("attempt", as: Int.self),
            maxAttempts: try row.decode("max_attempts", as: Int.self),
            runAt: try row.decode("run_at", as: Date.self),
            uniqueKey: try row.decode("unique_key", as: String?.self),
            correlationID: try row.decode("correlation_id", as: String?.self),
            claimedAt: try row.decode("locked_at", as: Date?.self)
        )
    }

    static func record(_ row: PostgresRow) throws -> JobRecord {
        JobRecord(
            workspaceID: try row.decode("workspace_id", as: UUID.self),
            id: try row.decode("id", as: Int64.self),
            kind: try row.decode("kind", as: String.self),
            state: JobState(rawValue: try row.decode("state", as: String.self)) ?? .cancelled,
            attempt: try row.decode("attempt", as: Int.self),
            maxAttempts: try row.decode("max_attempts", as: Int.self),
            runAt: try row.decode("run_at", as: Date.self),
            lastError: try row.decode("last_error", as: String?.self),
            finishedAt: try row.decode("finished_at", as: Date?.self),
            uniqueKey: try row.decode("unique_key", as: String?.self)
        )
    }
}

/// A job row as stored (status view).
public struct JobRecord: Sendable, Equatable {
    public var workspaceID: UUID
    public var id: Int64
    public var kind: String
    public var state: JobState
    public var attempt: Int
    public var maxAttempts: Int
    public var runAt: Date
    public var lastError: String?
    public var finishedAt: Date?
    public var uniqueKey: String?

    public init(workspaceID: UUID, id: Int64, kind: String, state: JobState, attempt: Int, maxAttempts: Int, runAt: Date,
                lastError: String?, finishedAt: Date?, uniqueKey: String?) {
        self.workspaceID = workspaceID
        self.id = id
        self.kind = kind
        self.state = state
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.runAt = runAt
        self.lastError = lastError
        self.finishedAt = finishedAt
        self.uniqueKey = uniqueKey
    }
}
