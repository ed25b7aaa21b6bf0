import Foundation
import Logging
import PostgresClient
import ServiceLifecycle
import Synchronization
import Testing
import VigilCore
@testable import VigilRepositories
import VigilServices
import VigilTestFixtures
@testable import VigilWorker

/// A migrated database with an application pool, torn down by `close()`.
struct JobTestDatabase {
    let db: MigratedDatabase
    let pool: PostgresPool
    var database: Database { Database(pool: pool) }

    static func make() async throws -> JobTestDatabase {
        let db = try await MigratedDatabase.create()
        return JobTestDatabase(db: db, pool: db.makeAppPool())
    }

    /// A store on its own pool, as a separate worker process would have; uncapped per workspace
    /// unless a test is about the cap.
    func makeStore(pool: PostgresPool? = nil, listen: Bool = true, maxRunningPerWorkspace: Int = 1_000,
                   kindCaps: [String: Int] = [:]) -> JobWorkerStore {
        JobWorkerStore(database: Database(pool: pool ?? self.pool), listenConninfo: listen ? db.workerConninfo : nil,
                       maxRunningPerWorkspace: maxRunningPerWorkspace, kindCaps: kindCaps, logger: MigratedDatabase.logger)
    }

    @discardableResult
    func enqueue(_ job: NewJob) async throws -> Int64? {
        try await database.inWorkspace(job.workspaceID) { try await JobQueue().enqueue(job, on: $0) }
    }

    /// The job's row, read past RLS as the superuser.
    func row(_ id: Int64) async throws -> JobRecord? {
        let connection = try await db.ownerConnection()
        let rows: PostgresRows
        do {
            rows = try await connection.query("""
                SELECT workspace_id, id, kind, state, attempt, max_attempts, run_at, last_error, finished_at, unique_key, locked_by
                  FROM jobs WHERE id = \(id)
                """)
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
        guard let row = rows.first else { return nil }
        return JobRecord(workspaceID: try row.decode("workspace_id", as: UUID.self), id: id,
                         kind: try row.decode("kind", as: String.self),
                         state: JobState(rawValue: try row.decode("state", as: String.self))!,
                         attempt: try row.decode("attempt", as: Int.self), maxAttempts: try row.decode("max_attempts", as: Int.self),
                         runAt: try row.decode("run_at", as: Date.self), lastError: try row.decode("last_error", as: String?.self),
                         finishedAt: try row.decode("finished_at", as: Date?.self), uniqueKey: try row.decode("unique_key", as: String?.self))
    }

    func ownerScalar(_ sql: PostgresQuery) async throws -> Int {
        let connection = try await db.ownerConnection()
        do {
            let value = try await connection.query(sql).first?.decode("n", as: Int.self) ?? -1
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }

    func close() async throws {
        await pool.shutdown()
        try await db.drop()
    }
}

/// Everything the runner reports, with waits that end on the event itself (or fail after a
/// generous timeout instead of hanging the suite).
final class EventLog: Sendable {
    private struct Waiter {
        let id: Int
        let predicate: @Sendable ([JobEvent]) -> Bool
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var events: [JobEvent] = []
        var waiters: [Waiter] = []
        var nextID = 0
    }

    private let state = Mutex(State())

    var events: [JobEvent] { state.withLock { $0.events } }

    func record(_ event: JobEvent) {
        let ready = state.withLock { state -> [Waiter] in
            state.events.append(event)
            let events = state.events
            let ready = state.waiters.filter { $0.predicate(events) }
            state.waiters.removeAll { waiter in ready.contains { $0.id == waiter.id } }
            return ready
        }
        for waiter in ready { waiter.continuation.resume() }
    }

    struct Timeout: Error, CustomStringConvertible {
        let what: String
        var description: String { "timed out waiting for \(what)" }
    }

    func wait(for what: String, timeout: Duration = .seconds(20), until predicate: @escaping @Sendable ([JobEvent]) -> Bool) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            let waiter = self.state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: Timeout(what: what))
        }
        defer { timer.cancel() }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let satisfied = state.withLock { state -> Bool in
                if predicate(state.events) { return true }
                state.waiters.append(Waiter(id: id, predicate: predicate, continuation: continuation))
                return false
            }
            if satisfied { continuation.resume() }
        }
    }

    func succeeded() -> [ClaimedJob] {
        events.compactMap { if case .succeeded(let job) = $0 { job } else { nil } }
    }

    func failures() -> [(job: ClaimedJob, error: String, retryAfter: Duration?, newState: JobState?)] {
        events.compactMap {
            if case .failed(let job, let error, let retryAfter, let newState) = $0 { (job, error, retryAfter, newState) } else { nil }
        }
    }
}

extension [JobEvent] {
    var succeededCount: Int { filter { if case .succeeded = $0 { true } else { false } }.count }
    var failedCount: Int { filter { if case .failed = $0 { true } else { false } }.count }
    var startedCount: Int { filter { if case .started = $0 { true } else { false } }.count }
    var released: Int? { compactMap { if case .released(let n) = $0 { n } else { nil } }.first }
}

extension JobHandler {
    /// A handler of a made-up kind, for tests of the runner itself (the worker's real handlers
    /// are typed `JobWorker`s registered in `JobCatalogue`).
    static func closure(kind: String, timeout: Duration = .seconds(60),
                        _ body: @escaping @Sendable (ClaimedJob) async throws -> Void) -> JobHandler {
        JobHandler(kind: kind, timeout: timeout, body: body)
    }
}

/// A runner inside a ServiceGroup (no signal handling), so tests can trigger a real graceful
/// shutdown.
struct RunningRunner {
    let runner: JobRunner
    let group: ServiceGroup
    let task: Task<Void, any Error>

    static func start(
        store: JobWorkerStore, handlers: [JobHandler], events: EventLog, metrics: JobMetrics? = nil,
        configure: (inout JobRunnerConfiguration) -> Void = { _ in }
    ) -> RunningRunner {
        var configuration = JobRunnerConfiguration()
        configuration.pollInterval = .seconds(2)
        configuration.shutdownGracePeriod = .seconds(5)
        configure(&configuration)
        let registry: JobRegistry
        do { registry = try JobRegistry(handlers) } catch { preconditionFailure("test handlers: \(error)") }
        let runner = JobRunner(store: store, registry: registry, configuration: configuration, logger: MigratedDatabase.logger,
                               metrics: metrics, observer: { events.record($0) })
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: runner)], gracefulShutdownSignals: [], cancellationSignals: [], logger: MigratedDatabase.logger
        ))
        let task = Task { try await group.run() }
        return RunningRunner(runner: runner, group: group, task: task)
    }

    /// Graceful shutdown; returns once the runner's run() has returned.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}

/// Per-job run counts and the highest number of simultaneous runs of one job.
final class RunTracker: Sendable {
    private struct State {
        var active: [Int64: Int] = [:]
        var runs: [Int64: Int] = [:]
        var maxActive: [Int64: Int] = [:]
        var workers: Set<String> = []
    }

    private let state = Mutex(State())

    func begin(_ id: Int64) {
        state.withLock { state in
            state.active[id, default: 0] += 1
            state.runs[id, default: 0] += 1
            state.maxActive[id] = Swift.max(state.maxActive[id] ?? 0, state.active[id]!)
        }
    }

    func end(_ id: Int64) {
        state.withLock { $0.active[id, default: 0] -= 1 }
    }

    var runs: [Int64: Int] { state.withLock { $0.runs } }
    var maxActive: [Int64: Int] { state.withLock { $0.maxActive } }
}

struct TestFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
