import Foundation
import PostgresClient
import Synchronization
import Testing
import VigilCore
import VigilRepositories
import VigilServices
import VigilTestFixtures
import VigilWorker

/// The runner against a real database: exclusivity, retries, rescue, shutdown, timeouts.
struct JobRunnerTests {
    @Test func twoRunnersNeverRunTheSameJobTwice() async throws {
        let t = try await JobTestDatabase.make()
        let workspaces = [UUID(), UUID(), UUID()]
        let total = 300
        let tracker = RunTracker()
        let events = EventLog()
        let handler = JobHandler.closure(kind: "count") { job in
            tracker.begin(job.id)
            await Task.yield()  // widen the window in which a double run would overlap
            tracker.end(job.id)
        }
        let secondPool = t.db.makeAppPool()
        let runners = [
            RunningRunner.start(store: t.makeStore(), handlers: [handler], events: events) { $0.concurrency = 8; $0.workerID = "runner-1" },
            RunningRunner.start(store: t.makeStore(pool: secondPool), handlers: [handler], events: events) {
                $0.concurrency = 8; $0.workerID = "runner-2"
            },
        ]
        var ids: [Int64] = []
        for workspace in workspaces {
            try await t.database.inWorkspace(workspace) { connection in
                for _ in 0..<(total / workspaces.count) {
                    if let id = try await JobQueue().enqueue(NewJob(workspaceID: workspace, kind: "count"), on: connection) { ids.append(id) }
                }
            }
        }
        try await events.wait(for: "\(total) jobs to succeed") { $0.succeededCount >= total }
        for runner in runners { try await runner.stop() }

        #expect(ids.count == total)
        let runs = tracker.runs
        #expect(runs.count == total)
        #expect(runs.values.allSatisfy { $0 == 1 })
        #expect(tracker.maxActive.values.allSatisfy { $0 == 1 })
        #expect(events.events.succeededCount == total)
        #expect(try await t.ownerScalar("SELECT count(*)::int AS n FROM jobs WHERE state = 'succeeded' AND attempt = 1") == total)
        await secondPool.shutdown()
        try await t.close()
    }

    @Test func failuresBackOffThenDiscardWithTheLastError() async throws {
        let t = try await JobTestDatabase.make()
        let workspace = UUID()
        let events = EventLog()
        let backoff = JobBackoff(base: .milliseconds(150), cap: .seconds(1))
        let handler = JobHandler.closure(kind: "flaky") { job in
            throw TestFailure(message: "boom on attempt \(job.attempt)")
        }
        let runner = RunningRunner.start(store: t.makeStore(), handlers: [handler], events: events) {
            $0.backoff = backoff
            $0.unitRandom = { 1.0 }               // the full ceiling: 150 ms, then 300 ms
            $0.pollInterval = .milliseconds(50)   // retries are found by polling
        }
        let id = try #require(try await t.enqueue(NewJob(workspaceID: workspace, kind: "flaky", maxAttempts: 3)))
        try await events.wait(for: "the job to be discarded") { events in
            events.contains { if case .failed(_, _, _, .discarded) = $0 { true } else { false } }
        }
        try await runner.stop()

        let failures = events.failures()
        #expect(failures.map(\.job.attempt) == [1, 2, 3])
        #expect(failures.map(\.newState) == [.retryable, .retryable, .discarded])
        #expect(failures.map(\.retryAfter) == [.milliseconds(150), .milliseconds(300), .milliseconds(600)])
        // Each attempt became runnable no earlier than the backoff after the previous one.
        let runAts = failures.map(\.job.runAt)
        for (index, delay) in [(1, 0.150), (2, 0.300)] {
            let gap = runAts[index].timeIntervalSince(runAts[index - 1])
            #expect(gap >= delay, "attempt \(index + 1) was due only \(gap) s after attempt \(index)")
            #expect(gap < delay + 5)
        }
        let row = try #require(try await t.row(id))
        #expect(row.state == .discarded)
        #expect(row.attempt == 3)
        #expect(row.lastError == "boom on attempt 3")
        #expect(row.finishedAt != nil)
        try await t.close()
    }

    @Test func staleJobOfADeadWorkerIsRescuedAndRunsAgain() async throws {
        let t = try await JobTestDatabase.make()
        let workspace = UUID()
        let events = EventLog()
        let owner = try await t.db.ownerConnection()
        let rows = try await owner.query("""
            INSERT INTO jobs (workspace_id, kind, state, attempt, max_attempts, locked_by, locked_at, heartbeat_at)
            VALUES (\(workspace), 'orphan', 'running', 1, 5, 'dead-worker', now() - interval '1 hour', now() - interval '1 hour'),
                   (\(workspace), 'orphan', 'running', 1, 5, 'alive-worker', now(), now())
            RETURNING id, locked_by
            """)
        await owner.close()
        let dead = try #require(try rows.first { try $0.decode("locked_by", as: String.self) == "dead-worker" }?.decode("id", as: Int64.self))
        let alive = try #require(try rows.first { try $0.decode("locked_by", as: String.self) == "alive-worker" }?.decode("id", as: Int64.self))

        let runner = RunningRunner.start(store: t.makeStore(), handlers: [JobHandler.closure(kind: "orphan") { _ in }], events: events) {
            $0.staleAfter = .seconds(60)
            $0.rescueInterval = .milliseconds(100)
        }
        try await events.wait(for: "the orphan to run") { $0.succeededCount == 1 }
        try await runner.stop()

        #expect(events.succeeded().map(\.id) == [dead])
        #expect(events.succeeded().first?.attempt == 2)
        let rescued = try #require(try await t.row(dead))
        #expect(rescued.state == .succeeded && rescued.attempt == 2)
        #expect(try await t.row(alive)?.state == .running)  // a live worker's job is left alone
        try await t.close()
    }

    @Test func heartbeatsKeepALongJobFromBeingRescued() async throws {
        let t = try await JobTestDatabase.make()
        let workspace = UUID()
        let events = EventLog()
        // The job runs until its heartbeats have kept it ours for 1.5 times staleAfter (on the
        // database's clock, which is what rescue compares against), while rescue runs every 100 ms.
        // A rescue in between clears heartbeat_at, and the job fails instead of waiting forever.
        // staleAfter is 20 heartbeats wide: the whole suite runs in parallel on two cores, and a
        // narrower window (5 beats) was missed under that load in CI.
        let long = JobHandler.closure(kind: "long") { job in
            while true {
                let kept = try await t.ownerScalar("""
                    SELECT coalesce((heartbeat_at >= locked_at + interval '3 seconds')::int, -1) AS n
                      FROM jobs WHERE id = \(job.id)
                    """)
                if kept == 1 { return }
                if kept == -1 { throw TestFailure(message: "the job lost its lock while running") }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let runner = RunningRunner.start(store: t.makeStore(), handlers: [long], events: events) {
            $0.staleAfter = .seconds(2)
            $0.heartbeatInterval = .milliseconds(100)
            $0.rescueInterval = .milliseconds(100)
        }
        let id = try #require(try await t.enqueue(NewJob(workspaceID: workspace, kind: "long")))
        try await events.wait(for: "the long job to finish") { $0.succeededCount + $0.failedCount >= 1 }
        try await runner.stop()

        #expect(events.events.startedCount == 1)
        #expect(events.succeeded().map(\.attempt) == [1])
        let row = try #require(try await t.row(id))
        #expect(row.state == .succeeded && row.attempt == 1 && row.lastError == nil)
        try await t.close()
    }

    @Test func gracefulShutdownLetsShortJobsFinishAndReleasesTheRest() async throws {
        let t = try await JobTestDatabase.make()
        let workspace = UUID()
        let events = EventLog()
        let gate = AsyncStream.makeStream(of: Void.self)
        let endless = JobHandler.closure(kind: "endless", timeout: .seconds(600)) { _ in
            try await Task.sleep(for: .seconds(600))
        }
        let gated = JobHandler.closure(kind: "gated") { _ in
            for await _ in gate.stream { break }
        }
        let runner = RunningRunner.start(store: t.makeStore(), handlers: [endless, gated], events: events) {
            $0.shutdownGracePeriod = .milliseconds(1500)
        }
        let long = try #require(try await t.enqueue(NewJob(workspaceID: workspace, kind: "endless", maxAttempts: 1)))
        let short = try #require(try await t.enqueue(NewJob(workspaceID: workspace, kind: "gated")))
        try await events.wait(for: "both jobs to start") { $0.startedCount == 2 }

        await runner.group.triggerGracefulShutdown()
        gate.continuation.yield()  // the short job may finish during the grace period
        try await runner.task.value

        #expect(events.succeeded().map(\.id) == [short])
        #expect(events.events.failedCount == 0)  // the interrupted job was not failed...
        #expect(events.events.released == 1)     // ...but handed back
        let row = try #require(try await t.row(long))
        #expect(row.state == .available)
        #expect(row.attempt == 0)               // its only attempt is not burned
        #expect(try await t.row(short)?.state == .succeeded)
        try await t.close()
    }

    @Test func perKindTimeoutFailsTheJob() async throws {
        let t = try await JobTestDatabase.make()
        let workspace = UUID()
        let events = EventLog()
        let slow = JobHandler.closure(kind: "slow", timeout: .seconds(600)) { _ in
            try await Task.sleep(for: .seconds(600))
        }
        let runner = RunningRunner.start(store: t.makeStore(), handlers: [slow], events: events) {
            $0.timeouts = ["slow": .milliseconds(200)]  // the configuration overrides the handler's
        }
        let clock = ContinuousClock()
        let started = clock.now
        let id = try #require(try await t.enqueue(NewJob(workspaceID: workspace, kind: "slow", maxAttempts: 1)))
        try await events.wait(for: "the timeout") { $0.failedCount == 1 }
        let elapsed = clock.now - started
        try await runner.stop()

        #expect(elapsed < .seconds(10))
        let failure = try #require(events.failures().first)
        #expect(failure.error.contains("timed out"))
        #expect(failure.newState == .discarded)
        let row = try #require(try await t.row(id))
        #expect(row.state == .discarded)
        #expect(row.lastError?.contains("timed out after") == true)
        try await t.close()
    }

    @Test func unknownKindIsDiscardedAtOnce() async throws {
        let t = try await JobTestDatabase.make()
        let workspace = UUID()
        let events = EventLog()
        let runner = RunningRunner.start(store: t.makeStore(listen: false), handlers: [], events: events) {
            $0.pollInterval = .milliseconds(100)  // no LISTEN: polling alone must find it
        }
        let id = try #require(try await t.enqueue(NewJob(workspaceID: workspace, kind: "mystery", maxAttempts: 10)))
        try await events.wait(for: "the discard") { $0.failedCount == 1 }
        try await runner.stop()

        let row = try #require(try await t.row(id))
        #expect(row.state == .discarded)
        #expect(row.attempt == 1)
        #expect(row.lastError == "no handler for job kind 'mystery'")
        try await t.close()
    }
}
