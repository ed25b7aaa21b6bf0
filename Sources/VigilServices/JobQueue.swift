import Foundation
import Logging
import VigilCore
import VigilRepositories

/// Enqueueing jobs from services. `enqueue` runs inside the caller's transaction (the
/// connection handed out by `Database.inWorkspace`), so a job exists, and wakes workers, only
/// if the use case commits.
public struct JobQueue: Sendable {
    let repository = JobRepository()

    public init() {}

    /// Returns the new job's id, or nil when a pending job with the same unique key already
    /// exists (then nothing changes). The job's workspace must be the transaction's workspace
    /// (row-level security refuses anything else); platform jobs use `platformJobWorkspaceID`.
    @discardableResult
    public func enqueue(_ job: NewJob, on connection: Transaction) async throws -> Int64? {
        try await repository.enqueue(job, on: connection)
    }

    /// Enqueues a job of `args`' kind with its default options; `priority` and `maxAttempts`
    /// override them for this one job.
    @discardableResult
    public func enqueue<Args: JobArgs>(
        _ args: Args, in workspaceID: UUID, on connection: Transaction, uniqueKey: String? = nil, runAt: Date? = nil,
        priority: Int16? = nil, maxAttempts: Int? = nil
    ) async throws -> Int64? {
        try await enqueue(NewJob(args, workspaceID: workspaceID, uniqueKey: uniqueKey, runAt: runAt, priority: priority,
                                 maxAttempts: maxAttempts), on: connection)
    }
}

/// What a worker process does with the queue: claim, settle, heartbeat, rescue, release and
/// listen for wake-ups. Each call is its own short transaction.
public struct JobWorkerStore: Sendable {
    let database: Database
    /// Where job heartbeats go (`VigilEnvironment.heartbeatDatabase`), else `database`.
    let heartbeatDatabase: Database
    let repository = JobRepository()
    /// Where to LISTEN for enqueue notifications; nil means poll only.
    let listenConninfo: String?
    /// Most jobs one workspace may have running at once, counted across every worker.
    let maxRunningPerWorkspace: Int
    /// Most jobs of each long-running kind running at once, counted across every worker.
    let kindCaps: [String: Int]
    let logger: Logger

    /// The default share: enough for a workspace's alert fan-out, leaving most of a worker's
    /// ten slots to the others.
    public static let defaultMaxRunningPerWorkspace = 5

    public init(database: Database, heartbeatDatabase: Database? = nil, listenConninfo: String?,
                maxRunningPerWorkspace: Int = defaultMaxRunningPerWorkspace, kindCaps: [String: Int] = [:], logger: Logger) {
        self.database = database
        self.kindCaps = kindCaps
        self.heartbeatDatabase = heartbeatDatabase ?? database
        self.listenConninfo = listenConninfo
        self.maxRunningPerWorkspace = maxRunningPerWorkspace
        self.logger = logger
    }

    public func claim(worker: String, max: Int) async throws -> [ClaimedJob] {
        guard max > 0 else { return [] }
        return try await database.platform {
            try await repository.claim(worker: worker, max: max, perWorkspace: maxRunningPerWorkspace, kindCaps: kindCaps, on: $0)
        }
    }

    @discardableResult
    public func complete(_ job: ClaimedJob, worker: String) async throws -> Bool {
        try await database.platform {
            try await repository.complete(workspaceID: job.workspaceID, id: job.id, worker: worker, on: $0)
        }
    }

    /// Settles many successes in one transaction; returns the ids that were still this worker's.
    public func complete(_ jobs: [JobReference], worker: String) async throws -> Set<Int64> {
        try await database.platform { try await repository.complete(jobs, worker: worker, on: $0) }
    }

    /// nil `retryAfter` discards the job at once (dead letter).
    @discardableResult
    public func fail(_ job: ClaimedJob, worker: String, error: String, retryAfter: Duration?) async throws -> JobState? {
        try await database.platform {
            try await repository.fail(workspaceID: job.workspaceID, id: job.id, worker: worker, error: error,
                                      retryAfter: retryAfter, on: $0)
        }
    }

    @discardableResult
    public func heartbeat(worker: String) async throws -> Int {
        try await heartbeatDatabase.platform { try await repository.heartbeat(worker: worker, on: $0) }
    }

    @discardableResult
    public func rescueStale(olderThan stale: Duration) async throws -> Int {
        try await database.platform { try await repository.rescueStale(olderThan: stale, on: $0) }
    }

    @discardableResult
    public func release(worker: String) async throws -> Int {
        try await database.platform { try await repository.release(worker: worker, on: $0) }
    }

    /// LISTENs on the job channel and calls `onNotification` with each enqueued kind, until the
    /// task is cancelled (returns) or the connection is lost (throws). `onListening` runs once
    /// the LISTEN is confirmed. Throws at once when listening is not possible (no conninfo,
    /// or e.g. PgBouncer in transaction mode).
    public func listen(onListening: @Sendable () -> Void, onNotification: @Sendable (String) -> Void) async throws {
        guard let listenConninfo else { throw JobListenUnavailable() }
        try await JobNotificationListener(conninfo: listenConninfo, logger: logger)
            .listen(onListening: onListening, onNotification: onNotification)
    }
}
