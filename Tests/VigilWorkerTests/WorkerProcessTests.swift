import Foundation
import PostgresClient
import Testing
import VigilCore
import VigilRepositories
import VigilServices
import VigilTestFixtures
import VigilWorker

/// The queue's promises, checked with real `vigil worker` processes against a real database.
@Suite("Worker processes", .serialized)
struct WorkerProcessTests {
    static let workspace = UUID()

    func sleepJob(_ milliseconds: Int) throws -> NewJob {
        try NewJob(DiagnosticJobs.SleepArgs(milliseconds: milliseconds), workspaceID: Self.workspace, maxAttempts: 5)
    }

    @Test("a job survives its worker being killed with SIGKILL mid-run and runs again elsewhere")
    func survivesSIGKILL() async throws {
        let db = try await JobTestDatabase.make()
        let staleness = ["VIGIL_WORKER_STALE_SECONDS": "2"]
        let first = try WorkerProcess(conninfo: db.db.workerConninfo, environment: staleness)
        let id = try #require(try await db.enqueue(try sleepJob(1_500)))
        try await eventually("the first worker runs the job") { try await db.row(id)?.state == .running }
        first.signal(SIGKILL)
        #expect(await first.waitForExit(timeout: .seconds(10)) != nil)
        #expect(try await db.row(id)?.state == .running, "a killed worker cannot release its job")

        let second = try WorkerProcess(conninfo: db.db.workerConninfo, environment: staleness)
        try await eventually("the rescued job succeeds") { try await db.row(id)?.state == .succeeded }
        let row = try #require(try await db.row(id))
        #expect(row.attempt == 2)
        #expect(second.startedJobIDs().contains(String(id)))
        second.signal(SIGTERM)
        #expect(await second.waitForExit(timeout: .seconds(30)) == 0)
        await first.stop()
        await second.stop()
        try await db.close()
    }

    @Test("two worker processes never run the same job")
    func twoWorkersNeverShareAJob() async throws {
        let db = try await JobTestDatabase.make()
        var ids: [Int64] = []
        for _ in 0..<300 { ids.append(try #require(try await db.enqueue(try sleepJob(2)))) }
        let workers = try (0..<2).map { _ in try WorkerProcess(conninfo: db.db.workerConninfo, environment: ["VIGIL_WORKER_CONCURRENCY": "8"]) }
        try await eventually("all jobs succeed") {
            try await db.ownerScalar("SELECT count(*)::int AS n FROM jobs WHERE state = 'succeeded' AND kind = 'diagnostic.sleep'") == ids.count
        }
        for worker in workers { worker.signal(SIGTERM) }
        for worker in workers { #expect(await worker.waitForExit(timeout: .seconds(30)) == 0) }

        let started = workers.map { $0.startedJobIDs().filter { ids.map(String.init).contains($0) } }
        let all = started.flatMap { $0 }
        #expect(all.count == ids.count, "each job started exactly once across both workers")
        #expect(Set(all).count == ids.count)
        #expect(started.allSatisfy { !$0.isEmpty }, "both workers took part: \(started.map(\.count))")
        #expect(try await db.ownerScalar("SELECT count(*)::int AS n FROM jobs WHERE attempt <> 1 AND kind = 'diagnostic.sleep'") == 0)
        for worker in workers { await worker.stop() }
        try await db.close()
    }

    @Test("each periodic job's tick is enqueued once when three workers start together")
    func cronTickOnceWithThreeWorkers() async throws {
        let db = try await JobTestDatabase.make()
        let workers = try (0..<3).map { _ in try WorkerProcess(conninfo: db.db.workerConninfo) }
        let schedules = JobCatalogue.periodicJobs(monthlyComplianceReports: ComplianceConfiguration().monthlyReports).map(\.name)
        try await eventually("every schedule has enqueued its latest tick") {
            try await db.ownerScalar("SELECT count(DISTINCT schedule)::int AS n FROM schedule_ticks") == schedules.count
        }
        // Every worker must have raced for the same ticks, not just the fastest one.
        try await eventually("every worker has checked every schedule") {
            workers.allSatisfy { $0.logged("schedules checked") }
        }
        for worker in workers { worker.signal(SIGTERM) }
        for worker in workers { #expect(await worker.waitForExit(timeout: .seconds(30)) == 0) }

        // Every tick enqueued exactly one job (a minutely schedule may have moved on to a next tick).
        #expect(try await db.ownerScalar("""
            SELECT count(*)::int AS n FROM (SELECT unique_key FROM jobs WHERE unique_key LIKE 'schedule:%'
                                             GROUP BY unique_key HAVING count(*) > 1) duplicated
            """) == 0)
        for schedule in schedules {
            let ticks = try await db.ownerScalar("SELECT count(*)::int AS n FROM schedule_ticks WHERE schedule = \(schedule)")
            let jobs = try await db.ownerScalar("SELECT count(*)::int AS n FROM jobs WHERE unique_key LIKE \("schedule:\(schedule):%")")
            #expect(ticks >= 1 && jobs == ticks, "\(schedule): \(ticks) ticks, \(jobs) jobs")
        }
        for worker in workers { await worker.stop() }
        try await db.close()
    }

    @Test("SIGTERM releases a job that outlives the grace period, without counting the attempt, and exits 0")
    func gracefulShutdownReleases() async throws {
        let db = try await JobTestDatabase.make()
        let worker = try WorkerProcess(conninfo: db.db.workerConninfo, environment: ["VIGIL_WORKER_SHUTDOWN_GRACE_SECONDS": "1"])
        let long = try #require(try await db.enqueue(try sleepJob(60_000)))
        let short = try #require(try await db.enqueue(try sleepJob(300)))
        try await eventually("both jobs run") {
            let longState = try await db.row(long)?.state
            let shortState = try await db.row(short)?.state
            return longState == .running && shortState != .available
        }
        worker.signal(SIGTERM)
        #expect(await worker.waitForExit(timeout: .seconds(20)) == 0)
        let released = try #require(try await db.row(long))
        #expect(released.state == .available)
        #expect(released.attempt == 0)
        #expect(try await db.row(short)?.state == .succeeded, "a job that finishes within the grace period completes")
        await worker.stop()
        try await db.close()
    }

    @Test("the worker serves its job metrics on VIGIL_WORKER_METRICS_PORT")
    func servesMetrics() async throws {
        let db = try await JobTestDatabase.make()
        let port = Int.random(in: 20_000...60_000)
        let worker = try WorkerProcess(conninfo: db.db.workerConninfo, environment: ["VIGIL_WORKER_METRICS_PORT": String(port)])
        let id = try #require(try await db.enqueue(try NewJob(DiagnosticJobs.NoopArgs(), workspaceID: Self.workspace)))
        try await eventually("the job succeeds") { try await db.row(id)?.state == .succeeded }
        var text = ""
        try await eventually("the metrics endpoint answers") {
            text = Self.fetch("http://127.0.0.1:\(port)/metrics")
            return text.contains("vigil_job_runs_total")
        }
        #expect(text.contains(#"vigil_job_runs_total{kind="diagnostic.noop",outcome="succeeded"} 1"#), "\(text)")
        worker.signal(SIGTERM)
        #expect(await worker.waitForExit(timeout: .seconds(30)) == 0)
        await worker.stop()
        try await db.close()
    }

    /// GET with curl (installed by CI), so the test needs no HTTP client library.
    static func fetch(_ url: String) -> String {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        curl.arguments = ["curl", "-s", "--max-time", "2", url]
        let output = Pipe()
        curl.standardOutput = output
        curl.standardError = FileHandle.nullDevice
        guard (try? curl.run()) != nil else { return "" }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
