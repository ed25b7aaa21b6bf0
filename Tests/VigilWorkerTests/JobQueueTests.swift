import Foundation
import PostgresClient
import Testing
import VigilCore
@testable import VigilRepositories
import VigilServices
import VigilTestFixtures
import VigilWorker

/// The queue in SQL: transactional enqueue, unique keys, RLS and fair claims.
struct JobQueueTests {
    struct Rollback: Error {}

    @Test func enqueueInARolledBackTransactionLeavesNoJobAndNoNotification() async throws {
        let t = try await JobTestDatabase.make()
        let workspace = UUID()
        let listener = try await PostgresListener.connect(conninfo: t.db.ownerConninfo, logger: MigratedDatabase.logger)
        try await listener.listen(JobRepository.notificationChannel)

        await #expect(throws: Rollback.self) {
            try await t.database.inWorkspace(workspace) { connection in
                let id = try await JobQueue().enqueue(NewJob(workspaceID: workspace, kind: "rolled-back"), on: connection)
                #expect(id != nil)  // it existed inside the transaction
                throw Rollback()
            }
        }
        let committed = try #require(try await t.enqueue(NewJob(workspaceID: workspace, kind: "committed")))

        // Notifications arrive in commit order: the first one must be the committed job's.
        var iterator = listener.notifications.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first?.payload == "committed")
        await listener.close()

        #expect(try await t.ownerScalar("SELECT count(*)::int AS n FROM jobs") == 1)
        #expect(try await t.row(committed)?.kind == "committed")
        try await t.close()
    }

    @Test func committedJobRunsExactlyOnce() async throws {
        let t = try await JobTestDatabase.make()
        let workspace = UUID()
        let tracker = RunTracker()
        let events = EventLog()
        let handler = JobHandler.closure(kind: "once") { job in
            tracker.begin(job.id)
            tracker.end(job.id)
        }
        await #expect(throws: Rollback.self) {
            try await t.database.inWorkspace(workspace) { connection in
                try await JobQueue().enqueue(NewJob(workspaceID: workspace, kind: "once", argsJSON: #"{"n": 1}"#), on: connection)
                throw Rollback()
            }
        }
        // Polling effectively off: once the runner listens, only the NOTIFY can wake it.
        let runner = RunningRunner.start(store: t.makeStore(), handlers: [handler], events: events) { $0.pollInterval = .seconds(600) }
        try await events.wait(for: "LISTEN") { $0.contains(.listening) }
        let id = try #require(try await t.enqueue(NewJob(workspaceID: workspace, kind: "once", argsJSON: #"{"n": 2}"#, correlationID: "corr-7")))
        try await events.wait(for: "the job to succeed") { $0.succeededCount == 1 }
        try await runner.stop()

        #expect(tracker.runs == [id: 1])
        let succeeded = events.succeeded()
        #expect(succeeded.map(\.id) == [id])
        #expect(succeeded.first?.correlationID == "corr-7")
        #expect(succeeded.first?.argsJSON == #"{"n": 2}"#)
        let row = try #require(try await t.row(id))
        #expect(row.state == .succeeded && row.attempt == 1 && row.finishedAt != nil)
        #expect(try await t.ownerScalar("SELECT count(*)::int AS n FROM jobs") == 1)
        try await t.close()
    }

    @Test func uniqueKeyDeduplicatesWhilePendingOnly() async throws {
        let t = try await JobTestDatabase.make()
        let workspace = UUID(), other = UUID()
        let store = t.makeStore(listen: false)
        let job = NewJob(workspaceID: workspace, kind: "digest", uniqueKey: "daily-2026-11-30")

        let first = try #require(try await t.enqueue(job))
        #expect(try await t.enqueue(job) == nil)                       // available: no-op
        #expect(try await t.enqueue(NewJob(workspaceID: other, kind: "digest", uniqueKey: "daily-2026-11-30")) != nil)  // per workspace

        let claimed = try await store.claim(worker: "w1", max: 10)
        #expect(Set(claimed.map(\.workspaceID)) == [workspace, other])
        #expect(try await t.enqueue(job) == nil)                       // running: still a no-op
        let mine = try #require(claimed.first { $0.id == first })
        #expect(try await store.complete(mine, worker: "w1"))

        let second = try await t.enqueue(job)                          // succeeded: a new one may start
        #expect(second != nil && second != first)
        #expect(try await t.ownerScalar("SELECT count(*)::int AS n FROM jobs WHERE workspace_id = \(workspace)") == 2)
        try await t.close()
    }

    @Test func applicationRoleSeesOnlyItsWorkspacesJobs() async throws {
        let t = try await JobTestDatabase.make()
        let a = UUID(), b = UUID()
        try await t.enqueue(NewJob(workspaceID: a, kind: "x"))
        try await t.enqueue(NewJob(workspaceID: a, kind: "x"))
        try await t.enqueue(NewJob(workspaceID: b, kind: "x"))

        let unscoped = try await t.database.platform { try await $0.query("SELECT count(*)::int AS n FROM jobs") }
        #expect(try unscoped[0].decode("n", as: Int.self) == 0)
        let inA = try await t.database.inWorkspace(a) { try await $0.query("SELECT workspace_id FROM jobs") }
        #expect(inA.count == 2)
        #expect(try inA.allSatisfy { try $0.decode("workspace_id", as: UUID.self) == a })

        // Enqueueing into another workspace is refused by the policy.
        let crossTenant = await #expect(throws: StorageError.self) {
            try await t.database.inWorkspace(a) { try await JobQueue().enqueue(NewJob(workspaceID: b, kind: "x"), on: $0) }
        }
        #expect(crossTenant?.kind == .refused && crossTenant?.sqlState == "42501")
        // The application role cannot change jobs except through the worker functions.
        let update = await #expect(throws: StorageError.self) {
            try await t.database.inWorkspace(a) { try await $0.query("UPDATE jobs SET state = 'succeeded'") }
        }
        #expect(update?.sqlState == "42501")
        #expect(try await t.ownerScalar("SELECT count(*)::int AS n FROM jobs WHERE state = 'available'") == 3)
        try await t.close()
    }

    /// One workspace cannot hold every slot: at most `maxRunningPerWorkspace` of its jobs run at
    /// once across workers, while another workspace's and platform jobs are still claimed.
    @Test func aWorkspaceRunsAtMostItsShareOfJobsAtOnce() async throws {
        let t = try await JobTestDatabase.make()
        let busy = UUID(), quiet = UUID()
        for _ in 0..<6 { try await t.enqueue(NewJob(workspaceID: busy, kind: "report")) }
        try await t.enqueue(NewJob(workspaceID: quiet, kind: "report"))
        for _ in 0..<3 { try await t.enqueue(NewJob(workspaceID: platformJobWorkspaceID, kind: "tick")) }
        let first = t.makeStore(listen: false, maxRunningPerWorkspace: 2), second = t.makeStore(listen: false, maxRunningPerWorkspace: 2)

        let claimed = try await first.claim(worker: "w1", max: 10)
        #expect(claimed.filter { $0.workspaceID == busy }.count == 2)
        #expect(claimed.filter { $0.workspaceID == quiet }.count == 1)
        #expect(claimed.filter { $0.workspaceID == platformJobWorkspaceID }.count == 3, "platform jobs are not capped")
        // Another worker finds the busy workspace at its cap too: the cap counts every worker's jobs.
        #expect(try await second.claim(worker: "w2", max: 10).isEmpty)
        // A finished job frees one place.
        let done = try #require(claimed.first { $0.workspaceID == busy })
        #expect(try await first.complete(done, worker: "w1"))
        let next = try await second.claim(worker: "w2", max: 10)
        #expect(next.count == 1 && next.first?.workspaceID == busy)
        // The previous release's two-argument claim still works (uncapped): a rollback keeps running jobs.
        let older = try await t.database.platform { try await $0.query("SELECT id FROM vigil_claim_jobs('w-old', 10)").map { try $0.decode("id", as: Int64.self) } }
        #expect(older.count == 3, "the busy workspace's other three jobs, past the new cap")
        try await t.close()
    }

    /// Long-running kinds cannot take every slot: at most their cap of them run at once across
    /// workers, a workspace whose oldest jobs are of a saturated kind still gets its others
    /// claimed, and one claim never takes more of a kind than its cap leaves.
    @Test func aLongRunningKindRunsAtMostItsCapAtOnce() async throws {
        let t = try await JobTestDatabase.make()
        let a = UUID(), b = UUID()
        for _ in 0..<4 { try await t.enqueue(NewJob(workspaceID: a, kind: "report", priority: 5)) }
        for _ in 0..<2 { try await t.enqueue(NewJob(workspaceID: b, kind: "report", priority: 5)) }
        try await t.enqueue(NewJob(workspaceID: a, kind: "notify"))
        let caps = ["report": 2]
        let first = t.makeStore(listen: false, maxRunningPerWorkspace: 3, kindCaps: caps)
        let second = t.makeStore(listen: false, maxRunningPerWorkspace: 3, kindCaps: caps)

        let claimed = try await first.claim(worker: "w1", max: 10)
        #expect(claimed.filter { $0.kind == "report" }.count == 2, "\(claimed.map(\.kind))")
        #expect(claimed.filter { $0.kind == "notify" }.count == 1, "the short job is not stuck behind the capped ones")
        // Another worker finds the kind at its cap: the cap counts every worker's jobs.
        #expect(try await second.claim(worker: "w2", max: 10).isEmpty)
        // A finished report frees one place for one more.
        let done = try #require(claimed.first { $0.kind == "report" })
        #expect(try await first.complete(done, worker: "w1"))
        let next = try await second.claim(worker: "w2", max: 10)
        #expect(next.map(\.kind) == ["report"])
        // Uncapped, the same queue gives everything the per-workspace share allows.
        let uncapped = t.makeStore(listen: false, maxRunningPerWorkspace: 1_000)
        #expect(try await uncapped.claim(worker: "w3", max: 10).count == 3)
        try await t.close()
    }

    /// Jobs holding every connection of the main pool do not starve the heartbeat: it has its
    /// own pool, so a live job keeps its lease (without it, this heartbeat times out acquiring).
    @Test func heartbeatsDoNotWaitForTheJobPool() async throws {
        let t = try await JobTestDatabase.make()
        let busyPool = t.db.makeAppPool(maxConnections: 1, acquireTimeout: .milliseconds(300))
        let heartbeatPool = t.db.makeAppPool(maxConnections: 1, acquireTimeout: .milliseconds(300))
        let store = JobWorkerStore(database: Database(pool: busyPool), heartbeatDatabase: Database(pool: heartbeatPool),
                                   listenConninfo: nil, logger: MigratedDatabase.logger)
        let sharing = JobWorkerStore(database: Database(pool: busyPool), listenConninfo: nil, logger: MigratedDatabase.logger)
        try await t.enqueue(NewJob(workspaceID: UUID(), kind: "long"))
        let claimed = try await store.claim(worker: "w1", max: 1)
        #expect(claimed.count == 1)
        let (beats, sharedFailed) = try await busyPool.withConnection { _ -> (Int, Bool) in  // a job holding the only connection
            let beats = try await store.heartbeat(worker: "w1")
            do { _ = try await sharing.heartbeat(worker: "w1") } catch { return (beats, true) }
            return (beats, false)
        }
        #expect(beats == 1)
        #expect(sharedFailed, "sharing the job pool, the heartbeat waits and fails")
        await busyPool.shutdown()
        await heartbeatPool.shutdown()
        try await t.close()
    }

    @Test func claimIsFairAcrossWorkspaces() async throws {
        let t = try await JobTestDatabase.make()
        let a = UUID(), b = UUID()
        let owner = try await t.db.ownerConnection()
        try await owner.query("""
            INSERT INTO jobs (workspace_id, kind, args, run_at)
            SELECT \(a), 'bulk', '{}', now() - interval '1 hour' + g * interval '1 millisecond' FROM generate_series(1, 100000) AS g
            """)
        try await owner.simpleQuery("ANALYZE jobs")
        let single = try #require(try await t.enqueue(NewJob(workspaceID: b, kind: "single")))

        // The claim body under EXPLAIN ANALYZE (rolled back), for the record: before the claim, so
        // both workspaces are runnable.
        let body = try #require(try await owner.query("SELECT prosrc FROM pg_proc WHERE proname = 'vigil_claim_jobs' AND pronargs = 4").first?
            .decode("prosrc", as: String.self))
        let sql = body.components(separatedBy: "$q$")[1]
            .replacingOccurrences(of: "$2", with: "10").replacingOccurrences(of: "$1", with: "'explain'")
            .replacingOccurrences(of: "$3", with: "1000").replacingOccurrences(of: "$4", with: "'{\"report\": 2}'::jsonb")
            .replacingOccurrences(of: "$5", with: "'{}'::text[]").replacingOccurrences(of: "$6", with: "2")
        try await owner.simpleQuery("BEGIN; SET LOCAL jit = off")  // as the function sets it
        let plan = try await owner.query(PostgresQuery(unsafeSQL: "EXPLAIN (ANALYZE, BUFFERS) " + sql))
        try await owner.simpleQuery("ROLLBACK")
        let store = t.makeStore(listen: false)
        let clock = ContinuousClock()
        var claimed: [ClaimedJob] = []
        let elapsed = try await clock.measure { claimed = try await store.claim(worker: "w1", max: 10) }
        // Later claims, once the first (planning, cold caches) is out of the way.
        var later: [Duration] = []
        for _ in 0..<3 {
            later.append(try await clock.measure { _ = try await store.claim(worker: "w2", max: 10) })
        }
        #expect(claimed.count == 10)
        #expect(claimed.contains { $0.workspaceID == b && $0.id == single })
        #expect(claimed.allSatisfy { $0.attempt == 1 })
        // A's oldest jobs come first within A.
        #expect(claimed.filter { $0.workspaceID == a }.map(\.id).sorted() == Array(1...9))

        let lines = try plan.map { try $0.decode("QUERY PLAN", as: String.self) }
        print("claim over 100k jobs via the pool: first \(elapsed), then \(later); EXPLAIN ANALYZE:\n" + lines.joined(separator: "\n"))
        #expect(lines.contains { $0.contains("jobs_runnable") })
        #expect(!lines.contains { $0.contains("Seq Scan on jobs") })
        await owner.close()
        try await t.close()
    }
}
