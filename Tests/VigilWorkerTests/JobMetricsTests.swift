import Foundation
import PostgresClient
import Testing
import VigilCore
import VigilRepositories
import VigilServices
import VigilTestFixtures
import VigilWorker

/// The worker's /metrics content, from a real runner against a real database.
@Suite("Job metrics")
struct JobMetricsTests {
    struct Boom: Error {}

    @Test("runs, failures, claim latency and pending counts appear in valid Prometheus text")
    func exposition() async throws {
        let db = try await JobTestDatabase.make()
        let workspace = UUID()
        let events = EventLog()
        let metrics = JobMetrics()
        let running = RunningRunner.start(
            store: db.makeStore(), handlers: [
                JobHandler.closure(kind: "ok") { _ in },
                JobHandler.closure(kind: "bad") { _ in throw Boom() },
            ], events: events, metrics: metrics)
        for _ in 0..<3 { try await db.enqueue(NewJob(workspaceID: workspace, kind: "ok")) }
        try await db.enqueue(NewJob(workspaceID: workspace, kind: "bad", maxAttempts: 1))
        let later = try #require(try await db.enqueue(NewJob(workspaceID: workspace, kind: "later", runAt: Date().addingTimeInterval(3600))))
        try await events.wait(for: "3 successes and 1 failure") { log in
            log.filter { if case .succeeded = $0 { true } else { false } }.count == 3
                && log.contains { if case .failed = $0 { true } else { false } }
        }
        try await running.stop()

        let admin = JobAdministration(database: db.database)
        metrics.recordPending(try await admin.pendingCounts())
        var text = metrics.exposition()
        #expect(text.contains(#"vigil_job_runs_total{kind="ok",outcome="succeeded"} 3"#), "\(text)")
        #expect(text.contains(#"vigil_job_runs_total{kind="bad",outcome="failed"} 1"#))
        #expect(text.contains(#"vigil_job_failures_total{kind="bad"} 1"#))
        #expect(text.contains(#"vigil_job_claim_latency_seconds_count{kind="ok"} 3"#))
        #expect(text.contains(#"vigil_job_run_duration_seconds_count{kind="ok",outcome="succeeded"} 3"#))
        #expect(text.contains(#"vigil_jobs_pending{kind="later",state="available"} 1"#))

        // A (kind, state) that empties out reads 0, not its last value.
        _ = try await admin.cancel(id: later, actor: .system("test"), metadata: RequestMetadata(correlationID: "t", sourceIP: nil))
        metrics.recordPending(try await admin.pendingCounts())
        text = metrics.exposition()
        #expect(text.contains(#"vigil_jobs_pending{kind="later",state="available"} 0"#))
        #expect(text.contains("\nprocess_cpu_seconds_total ") && text.contains("\nprocess_resident_memory_bytes "), "the worker's process metrics")
        try Self.promtoolAccepts(text)
        try await db.close()
    }

    static func promtoolAccepts(_ text: String) throws {
        let (status, said) = try Promtool.checkMetrics(text)
        #expect(status == 0, "promtool: \(said)")
    }
}
