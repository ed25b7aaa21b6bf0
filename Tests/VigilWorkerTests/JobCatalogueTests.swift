import Foundation
import Testing
import VigilCore
import VigilServices
import VigilTestFixtures
@testable import VigilWorker

/// The catalogue is the contract with jobs already stored: kinds, schedules and argument JSON
/// must not change when code is reorganised.
struct JobCatalogueTests {
    @Test func aKindRegisteredTwiceIsRefused() throws {
        var registry = JobRegistry()
        try registry.register(NoopWorker())
        #expect(throws: DuplicateJobKind(kind: "diagnostic.noop")) { try registry.register(NoopWorker()) }
        // Another worker type for the same argument type is refused just the same.
        struct OtherNoop: JobWorker {
            func work(_ args: DiagnosticJobs.NoopArgs, job: ClaimedJob) async throws {}
        }
        #expect(throws: DuplicateJobKind(kind: "diagnostic.noop")) { try registry.register(OtherNoop()) }
        #expect(throws: DuplicateJobKind(kind: "x")) {
            try JobRegistry([.closure(kind: "x") { _ in }, .closure(kind: "x") { _ in }])
        }
        #expect(DuplicateJobKind(kind: "x").description.contains("'x' is registered twice"))
    }

    @Test func theCatalogueRegistersEveryKindOnce() async throws {
        let t = try await JobTestDatabase.make()
        let services = Services(environment: VigilEnvironment(
            database: t.database, settings: ServiceSettings(adminToken: nil, migrations: []), logger: MigratedDatabase.logger))
        let registry = try JobCatalogue.registry(services: services, logger: MigratedDatabase.logger)
        #expect(registry.kinds == [
            "alert.notify", "alert.escalate", "alert.ack_timeout", "alert.storm_summary",
            "alert_rules.dispatch", "alert_rules.evaluate", "anomaly.dispatch", "anomaly.scan",
            "security.dispatch", "security.scan", "performance.dispatch", "performance.run",
            "compliance.generate", "compliance.expire", "compliance.monthly",
            "kpi.rollup.daily", "kpi.rollup.monthly", "slo.evaluate", "digest.dispatch",
            "kpi.rollup", "slo.evaluate.workspace", "digest.check", "digest.send",
            "rollups.compact", "retention.cleanup", "retention.workspace", "partitions.maintain",
            "diagnostic.noop", "diagnostic.ping", "diagnostic.sleep",
        ])
        // Timeouts come from the argument types' default options.
        #expect(registry["alert.notify"]?.timeout == .seconds(90))
        #expect(registry["compliance.generate"]?.timeout == .seconds(1800))
        #expect(registry["retention.cleanup"]?.timeout == .seconds(3600))
        #expect(registry["retention.workspace"]?.timeout == .seconds(1800))
        #expect(registry["diagnostic.noop"]?.timeout == .seconds(60))
        // Every scheduled kind has a handler.
        for job in JobCatalogue.periodicJobs(monthlyComplianceReports: true) {
            #expect(registry[job.kind] != nil, "\(job.name)")
        }
        try await t.close()
    }

    @Test func periodicSchedulesAreUnchanged() {
        let jobs = JobCatalogue.periodicJobs(monthlyComplianceReports: true)
        let expected: [(String, String, Int)] = [
            ("retention-cleanup", "retention.cleanup", 5), ("partitions-maintain", "partitions.maintain", 5),
            ("rollups-compact", "rollups.compact", 3), ("compliance-expire", "compliance.expire", 3),
            ("alert-rules-evaluate", "alert_rules.dispatch", 3), ("anomaly-scan", "anomaly.dispatch", 3),
            ("security-scan", "security.dispatch", 3), ("performance-baselines", "performance.dispatch", 3), ("performance-analyze", "performance.dispatch", 3),
            ("compliance-monthly", "compliance.monthly", 3), ("kpi-rollup-daily", "kpi.rollup.daily", 3),
            ("kpi-rollup-monthly", "kpi.rollup.monthly", 3), ("slo-evaluate", "slo.evaluate", 3),
            ("digest-dispatch", "digest.dispatch", 3),
        ]
        #expect(jobs.map(\.name) == expected.map(\.0))
        #expect(jobs.map(\.kind) == expected.map(\.1))
        #expect(jobs.map(\.maxAttempts) == expected.map(\.2))
        #expect(jobs.allSatisfy { $0.priority == 0 })
        #expect(jobs.filter { $0.kind != PerformanceJobs.DispatchArgs.kind }.allSatisfy { $0.argsJSON == "{}" })
        #expect(jobs.filter { $0.kind == PerformanceJobs.DispatchArgs.kind }.map(\.argsJSON) == [#"{"task":"baselines"}"#, #"{"task":"analyze"}"#])
        #expect(!JobCatalogue.periodicJobs(monthlyComplianceReports: false).contains { $0.name == "compliance-monthly" })
    }

    @Test func enqueuedJobsKeepTheirKindOptionsAndJSON() throws {
        let workspace = UUID()
        let alert = UUID(), channel = UUID(), report = UUID()
        let notify = try NewJob(AlertJobs.NotifyArgs(alertID: alert, channelID: channel, event: "triggered", idempotencyKey: "k"),
                                workspaceID: workspace, uniqueKey: "notify:k")
        #expect(notify.kind == "alert.notify" && notify.priority == 10 && notify.maxAttempts == 12 && notify.uniqueKey == "notify:k")
        #expect(try object(notify) == ["alert_id": alert.uuidString, "channel_id": channel.uuidString, "event": "triggered",
                                        "idempotency_key": "k"])
        let generate = try NewJob(ComplianceJobs.GenerateArgs(reportID: report), workspaceID: workspace)
        #expect(generate.kind == "compliance.generate" && generate.maxAttempts == 3 && generate.priority == 0)
        #expect(try object(generate) == ["report_id": report.uuidString.lowercased()])
        let send = try NewJob(KPIJobs.DigestSendArgs(sendTime: Date(timeIntervalSince1970: 1_700_000_000.7)), workspaceID: workspace)
        #expect(send.kind == "digest.send" && send.maxAttempts == 8)
        #expect(try object(send) == ["send_time": "1700000000"])
        let escalate = try NewJob(AlertJobs.EscalateArgs(alertID: alert, generation: 2, step: EscalationStep(loop: 1, level: 3)),
                                  workspaceID: workspace, priority: 5)
        #expect(escalate.kind == "alert.escalate" && escalate.priority == 5 && escalate.maxAttempts == 10, "priority overridden")
        let ack = try NewJob(AlertJobs.AckTimeoutArgs(alertID: alert, generation: 1), workspaceID: workspace)
        #expect(ack.kind == "alert.ack_timeout" && ack.priority == 0 && ack.maxAttempts == 10)
        let storm = try NewJob(AlertJobs.StormSummaryArgs(minute: 42), workspaceID: workspace)
        #expect(storm.kind == "alert.storm_summary" && storm.priority == 10 && storm.maxAttempts == 10)
        #expect(try object(storm) == ["minute": "42"])
        let sleep = try NewJob(DiagnosticJobs.SleepArgs(milliseconds: 5), workspaceID: workspace)
        #expect(try object(sleep) == ["milliseconds": "5"])
        // What the worker decodes is what was enqueued.
        #expect(try JobArgsCoding.decode(ComplianceJobs.GenerateArgs.self, from: generate.argsJSON).reportID == report)
        #expect(try JobArgsCoding.decode(KPIJobs.DigestSendArgs.self, from: send.argsJSON).sendDate == Date(timeIntervalSince1970: 1_700_000_000))
    }

    /// The job's arguments as a flat string map (numbers as their text).
    private func object(_ job: NewJob) throws -> [String: String] {
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(job.argsJSON.utf8)) as? [String: Any])
        return parsed.mapValues { "\($0)" }
    }
}
