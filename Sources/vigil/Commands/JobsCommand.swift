import ArgumentParser
import Foundation
import VigilCore
import VigilServices
import VigilWorker

/// `vigil jobs list|show|retry|cancel|enqueue`: the operator's view of the queue across workspaces.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs", abstract: "Inspect and steer the job queue.",
                                                    subcommands: [List.self, Show.self, Retry.self, Cancel.self, Enqueue.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs as JSON, newest first.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Workspace id or slug (default: every workspace and platform jobs).") var workspace: String?
        @Option(help: "available|running|succeeded|retryable|discarded|cancelled") var state: String?
        @Option(help: "Job kind, e.g. retention.cleanup.") var kind: String?
        @Option(help: "Show jobs older than this id (paging).") var before: Int64?
        @Option(help: "At most this many (1-1000).") var limit: Int = 50

        func run() async throws {
            guard (1...1000).contains(limit) else { throw ValidationError("--limit must be 1-1000") }
            var jobState: JobState?
            if let state {
                guard let parsed = JobState(rawValue: state) else { throw ValidationError("--state is not a job state") }
                jobState = parsed
            }
            let (settings, logger) = try common.settings()
            let runtime = try Runtime(settings: settings, logger: logger)
            let workspaceID = try await workspace.asyncMap { try await runtime.services.workspaces.find(reference: $0).id }
            let jobs = try await runtime.services.jobs.listAll(workspaceID: workspaceID, filter: JobFilter(state: jobState, kind: kind),
                                                               beforeID: before, limit: limit)
            await runtime.shutdown()
            try printJSON(["items": jobs.map(\.json)])
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one job, with its arguments and last error.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The job's id.") var id: Int64

        func run() async throws {
            try await withServices(common) { try await $0.jobs.find(id: id) }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a discarded, cancelled or retryable job again now.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The job's id.") var id: Int64

        func run() async throws {
            try await withServices(common) { try await $0.jobs.retry(id: id, actor: .system("cli"), metadata: .cli) }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a job that has not started.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The job's id.") var id: Int64

        func run() async throws {
            try await withServices(common) { try await $0.jobs.cancel(id: id, actor: .system("cli"), metadata: .cli) }
        }
    }

    /// Runs a periodic job now (by schedule name or kind), or with `--workspace` a workspace's
    /// own periodic work (alert rules, anomaly scans, performance, KPI rollups, SLOs, digest
    /// checks), so operators and tests need not wait.
    struct Enqueue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a periodic job now.",
            discussion: "Platform jobs: \(JobCatalogue.periodicJobs(monthlyComplianceReports: true).map(\.name).joined(separator: ", ")) "
                + "(or their kinds). With --workspace: \(WorkspaceJobs.kinds.joined(separator: ", ")).")
        @OptionGroup var common: CommonOptions
        @Argument(help: "A periodic job's name or kind, e.g. alert-rules-evaluate or alert_rules.evaluate.") var job: String
        @Option(help: "Workspace id or slug: run the workspace's own job of this kind.") var workspace: String?

        func run() async throws {
            try await withServices(common) { services in
                let newJob: NewJob
                if let workspace {
                    let id = try await services.workspaces.find(reference: workspace).id
                    guard let made = WorkspaceJobs.job(named: job, in: id) else {
                        throw ServiceError.invalid(field: "job", message: "'\(job)' is not a workspace job (\(WorkspaceJobs.kinds.joined(separator: ", ")))")
                    }
                    newJob = made
                } else {
                    guard let periodic = JobCatalogue.periodicJobs(monthlyComplianceReports: true).first(where: { $0.name == job || $0.kind == job }) else {
                        throw ServiceError.invalid(field: "job", message: "'\(job)' is not a periodic job; see vigil jobs enqueue --help")
                    }
                    newJob = NewJob(workspaceID: platformJobWorkspaceID, kind: periodic.kind, argsJSON: periodic.argsJSON,
                                    priority: periodic.priority, maxAttempts: periodic.maxAttempts, uniqueKey: nil, correlationID: nil)
                }
                return try await services.jobs.enqueueNow(newJob, actor: .system("cli"), metadata: .cli)
            }
        }
    }

    /// The jobs that run per workspace and may be enqueued for one.
    enum WorkspaceJobs {
        static let kinds = [AlertRuleJobs.EvaluateArgs.kind, AnomalyJobs.ScanArgs.kind, SecurityJobs.ScanArgs.kind, "performance-baselines", "performance-analyze",
                            "kpi-rollup-daily", "kpi-rollup-monthly", KPIJobs.WorkspaceSLOEvaluateArgs.kind, KPIJobs.DigestCheckArgs.kind]

        static func job(named name: String, in workspaceID: UUID) -> NewJob? {
            switch name {
            case AlertRuleJobs.EvaluateArgs.kind, "alert-rules-evaluate":
                return try? NewJob(AlertRuleJobs.EvaluateArgs(), workspaceID: workspaceID, uniqueKey: AlertRuleJobs.EvaluateArgs.uniqueKey)
            case AnomalyJobs.ScanArgs.kind, "anomaly-scan":
                return try? NewJob(AnomalyJobs.ScanArgs(), workspaceID: workspaceID, uniqueKey: AnomalyJobs.ScanArgs.uniqueKey)
            case SecurityJobs.ScanArgs.kind, "security-scan":
                return try? NewJob(SecurityJobs.ScanArgs(), workspaceID: workspaceID, uniqueKey: SecurityJobs.ScanArgs.uniqueKey)
            case "performance-baselines", "performance-analyze":
                let args = PerformanceJobs.RunArgs(task: name == "performance-baselines" ? .baselines : .analyze)
                return try? NewJob(args, workspaceID: workspaceID, uniqueKey: args.uniqueKey)
            case "kpi-rollup-daily", "kpi-rollup-monthly":
                let args = KPIJobs.WorkspaceRollupArgs(period: name == "kpi-rollup-daily" ? .day : .month)
                return try? NewJob(args, workspaceID: workspaceID, uniqueKey: args.uniqueKey)
            case KPIJobs.WorkspaceSLOEvaluateArgs.kind, "slo-evaluate":
                return try? NewJob(KPIJobs.WorkspaceSLOEvaluateArgs(), workspaceID: workspaceID, uniqueKey: KPIJobs.WorkspaceSLOEvaluateArgs.uniqueKey)
            case KPIJobs.DigestCheckArgs.kind, "digest-dispatch":
                return try? NewJob(KPIJobs.DigestCheckArgs(), workspaceID: workspaceID, uniqueKey: KPIJobs.DigestCheckArgs.uniqueKey)
            default:
                return nil
            }
        }
    }

    /// Runs one job action and prints the job as JSON; a service error becomes a clear message.
    static func withServices(_ common: CommonOptions, _ body: (Services) async throws -> JobDetails) async throws {
        let (settings, logger) = try common.settings()
        let runtime = try Runtime(settings: settings, logger: logger)
        do {
            let job = try await body(runtime.services)
            await runtime.shutdown()
            try printJSON(job.json)
        } catch let error as ServiceError {
            await runtime.shutdown()
            throw ValidationError("\(error)")
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

extension JobDetails {
    var json: [String: Any] {
        var out: [String: Any] = [
            "id": id, "workspace_id": workspaceID.uuidString.lowercased(), "kind": kind, "state": state.rawValue,
            "priority": priority, "attempt": attempt, "max_attempts": maxAttempts,
            "run_at": runAt.formatted(.iso8601), "created_at": createdAt.formatted(.iso8601),
            "args": (try? JSONSerialization.jsonObject(with: Data(argsJSON.utf8), options: [.fragmentsAllowed])) ?? argsJSON,
        ]
        if let finishedAt { out["finished_at"] = finishedAt.formatted(.iso8601) }
        if let lastError { out["last_error"] = lastError }
        if let lockedBy { out["locked_by"] = lockedBy }
        if let lockedAt { out["locked_at"] = lockedAt.formatted(.iso8601) }
        if let uniqueKey { out["unique_key"] = uniqueKey }
        if let correlationID { out["correlation_id"] = correlationID }
        return out
    }
}
