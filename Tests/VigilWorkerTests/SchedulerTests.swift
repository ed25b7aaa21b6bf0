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
import VigilWorker

/// The scheduler against real PostgreSQL: exactly once per tick across processes, catch-up once,
/// and claim and job committing (or rolling back) together. Time is injected; no sleeps.
struct SchedulerTests {
    static let hourly: CronExpression = { do { return try CronExpression(parsing: "0 * * * *") } catch { fatalError("\(error)") } }()

    static func instant(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)!
    }

    static func job(_ name: String = "hourly-report", kind: String = "report.hourly") -> PeriodicJob {
        PeriodicJob(name: name, cron: hourly, kind: kind, argsJSON: #"{"scope": "all"}"#)
    }

    /// A settable clock.
    final class Clock: Sendable {
        private let value: Mutex<Date>
        init(_ date: Date) { value = Mutex(date) }
        var now: Date {
            get { value.withLock { $0 } }
            set { value.withLock { $0 = newValue } }
        }
    }

    func count(_ t: JobTestDatabase, jobsOfKind kind: String) async throws -> Int {
        try await t.ownerScalar("SELECT count(*)::int AS n FROM jobs WHERE kind = \(kind)")
    }

    func count(_ t: JobTestDatabase, ticksOf schedule: String) async throws -> Int {
        try await t.ownerScalar("SELECT count(*)::int AS n FROM schedule_ticks WHERE schedule = \(schedule)")
    }

    @Test func threeSchedulersOnSeparatePoolsEnqueueEachTickExactlyOnce() async throws {
        let t = try await JobTestDatabase.make()
        let pools = (0..<3).map { _ in t.db.makeAppPool(maxConnections: 2) }
        let clock = Clock(Self.instant("2025-06-15T09:00:00Z"))
        let jobs = [Self.job("a", kind: "kind.a"), Self.job("b", kind: "kind.b")]
        let schedulers = pools.map {
            Scheduler(scheduling: PeriodicJobScheduling(database: Database(pool: $0)), jobs: jobs, now: { clock.now }, logger: MigratedDatabase.logger)
        }
        let ticks = ["2025-06-15T09:00:00Z", "2025-06-15T10:00:00Z", "2025-06-15T11:00:00Z", "2025-06-15T12:00:00Z"]
        for (index, tick) in ticks.enumerated() {
            clock.now = Self.instant(tick) + 5  // every scheduler checks at the same "now"
            let outcomes = await withTaskGroup(of: [String: ScheduleOutcome].self) { group in
                for scheduler in schedulers { group.addTask { await scheduler.check() } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            for name in ["a", "b"] {
                let mine = outcomes.compactMap { $0[name] }
                let enqueued = mine.filter { if case .enqueued(let at, let id) = $0 { at == Self.instant(tick) && id != nil } else { false } }
                #expect(enqueued.count == 1, "\(name) at \(tick): \(mine)")
                // The others lost the claim, or (having read the ledger after the winner committed) found nothing due.
                #expect(mine.allSatisfy {
                    switch $0 {
                    case .enqueued, .notDue: true
                    case .claimedElsewhere(let at): at == Self.instant(tick)
                    case .failed: false
                    }
                }, "\(name) at \(tick): \(mine)")
                #expect(try await count(t, jobsOfKind: "kind.\(name)") == index + 1)
                #expect(try await count(t, ticksOf: name) == index + 1)
            }
        }
        // One job per tick, each with the tick's unique key, and each tick row names its job.
        #expect(try await t.ownerScalar("""
            SELECT count(DISTINCT j.unique_key)::int AS n FROM jobs j
              JOIN schedule_ticks s ON s.job_id = j.id
             WHERE j.workspace_id = '00000000-0000-0000-0000-000000000000'
               AND j.unique_key = 'schedule:' || s.schedule || ':' || to_char(s.tick AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            """) == 8)
        for pool in pools { await pool.shutdown() }
        try await t.close()
    }

    @Test func afterDowntimeOnlyTheLatestMissedTickIsEnqueued() async throws {
        let t = try await JobTestDatabase.make()
        let job = Self.job()
        // Last enqueued five hours before the latest tick; the workers were down since.
        let last = Self.instant("2025-06-15T10:00:00Z")
        #expect(try await t.database.platform { try await ScheduleTickRepository().claimTick(schedule: job.name, tick: last, on: $0) })
        let scheduler = Scheduler(scheduling: PeriodicJobScheduling(database: t.database), jobs: [job], now: { last + 5 * 3600 + 10 * 60 }, logger: MigratedDatabase.logger)

        let outcome = await scheduler.check()[job.name]
        guard case .enqueued(let tick, let id?) = outcome else {
            Issue.record("expected an enqueue, got \(String(describing: outcome))")
            try await t.close()
            return
        }
        #expect(tick == Self.instant("2025-06-15T15:00:00Z"))
        #expect(try await count(t, jobsOfKind: job.kind) == 1)  // not 5
        #expect(try await t.row(id)?.uniqueKey == "schedule:hourly-report:2025-06-15T15:00:00Z")
        #expect(try await t.row(id)?.workspaceID == platformJobWorkspaceID)
        #expect(try await t.database.platform { try await ScheduleTickRepository().latestTick(schedule: job.name, on: $0) } == tick)
        #expect(try await count(t, ticksOf: job.name) == 2)  // the old row and the caught-up tick only
        try await t.close()
    }

    @Test func anEnqueuedTickIsNotEnqueuedAgain() async throws {
        let t = try await JobTestDatabase.make()
        let job = Self.job()
        let clock = Clock(Self.instant("2025-06-15T12:00:07Z"))
        let scheduler = Scheduler(scheduling: PeriodicJobScheduling(database: t.database), jobs: [job], now: { clock.now }, logger: MigratedDatabase.logger)

        guard case .enqueued(_, let id?) = await scheduler.check()[job.name] else {
            Issue.record("first check should enqueue")
            try await t.close()
            return
        }
        #expect(await scheduler.check()[job.name] == .notDue)  // same instant
        clock.now = Self.instant("2025-06-15T12:59:59Z")
        #expect(await scheduler.check()[job.name] == .notDue)  // later, same tick
        // Even once the job has finished (its unique key no longer pending), the ledger holds.
        let connection = try await t.db.ownerConnection()
        try await connection.query("UPDATE jobs SET state = 'succeeded', finished_at = now() WHERE id = \(id)")
        await connection.close()
        #expect(await scheduler.check()[job.name] == .notDue)
        // A claim for the same tick by a scheduler that read the ledger too early loses.
        #expect(try await t.database.platform {
            try await ScheduleTickRepository().claimTick(schedule: job.name, tick: Self.instant("2025-06-15T12:00:00Z"), on: $0)
        } == false)
        #expect(try await count(t, jobsOfKind: job.kind) == 1)
        #expect(try await count(t, ticksOf: job.name) == 1)
        try await t.close()
    }

    @Test func aFailedEnqueueLeavesNeitherTickNorJobAndTheTickIsRetried() async throws {
        let t = try await JobTestDatabase.make()
        let now = Self.instant("2025-06-15T12:20:00Z")
        // An empty kind violates the jobs kind CHECK after the tick row was inserted.
        let broken = Scheduler(scheduling: PeriodicJobScheduling(database: t.database), jobs: [Self.job(kind: "")], now: { now }, logger: MigratedDatabase.logger)
        guard case .failed(let tick, _) = await broken.check()["hourly-report"] else {
            Issue.record("the enqueue should have failed")
            try await t.close()
            return
        }
        #expect(tick == Self.instant("2025-06-15T12:00:00Z"))
        #expect(try await count(t, ticksOf: "hourly-report") == 0)
        #expect(try await t.ownerScalar("SELECT count(*)::int AS n FROM jobs") == 0)

        // Fixed (same schedule name), the next check enqueues the same tick.
        let fixed = Scheduler(scheduling: PeriodicJobScheduling(database: t.database), jobs: [Self.job()], now: { now }, logger: MigratedDatabase.logger)
        guard case .enqueued(let retried, _?) = await fixed.check()["hourly-report"] else {
            Issue.record("the retry should enqueue")
            try await t.close()
            return
        }
        #expect(retried == tick)
        #expect(try await count(t, ticksOf: "hourly-report") == 1)
        #expect(try await t.ownerScalar("SELECT count(*)::int AS n FROM jobs") == 1)
        try await t.close()
    }

    @Test func pruneDeletesOldTicksButKeepsEachSchedulesLatest() async throws {
        let t = try await JobTestDatabase.make()
        let repository = ScheduleTickRepository()
        let base = Self.instant("2025-06-15T00:00:00Z")
        try await t.database.platform { connection in
            for hour in 0..<5 { _ = try await repository.claimTick(schedule: "many", tick: base + Double(hour) * 3600, on: connection) }
            _ = try await repository.claimTick(schedule: "one", tick: base, on: connection)
        }
        // Cutoff after everything: all but each schedule's latest row go.
        let deleted = try await t.database.platform { try await repository.prune(olderThan: base + 10 * 3600, on: $0) }
        #expect(deleted == 4)
        #expect(try await count(t, ticksOf: "many") == 1)
        #expect(try await count(t, ticksOf: "one") == 1)
        #expect(try await t.database.platform { try await repository.latestTick(schedule: "many", on: $0) } == base + 4 * 3600)
        #expect(try await t.database.platform { try await repository.latestTick(schedule: "none", on: $0) } == nil)
        // So a scheduler does not re-enqueue a pruned schedule's latest tick.
        let job = PeriodicJob(name: "many", cron: Self.hourly, kind: "k")
        let scheduler = Scheduler(scheduling: PeriodicJobScheduling(database: t.database), jobs: [job], now: { base + 4 * 3600 + 60 }, logger: MigratedDatabase.logger)
        #expect(await scheduler.check()["many"] == .notDue)
        try await t.close()
    }

    // The limit catches a scheduler that waits out its one-hour interval; it is minutes, not
    // seconds, because cloning the test database queues behind every other test's clone on a
    // loaded 2-core machine.
    @Test(.timeLimit(.minutes(3)))
    func runChecksAndStopsOnGracefulShutdown() async throws {
        let t = try await JobTestDatabase.make()
        let (started, continuation) = AsyncStream<Void>.makeStream()
        let scheduler = Scheduler(scheduling: PeriodicJobScheduling(database: t.database), jobs: [Self.job()], checkInterval: .seconds(3600), now: {
            continuation.yield()
            return Self.instant("2025-06-15T12:00:30Z")
        }, logger: MigratedDatabase.logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: scheduler)], gracefulShutdownSignals: [], cancellationSignals: [], logger: MigratedDatabase.logger
        ))
        let task = Task { try await group.run() }
        var iterator = started.makeAsyncIterator()
        _ = await iterator.next()  // the first check has begun
        await group.triggerGracefulShutdown()
        try await task.value  // returns without waiting out the hour
        #expect(try await count(t, jobsOfKind: "report.hourly") == 1)  // the check in progress completed
        try await t.close()
    }
}
