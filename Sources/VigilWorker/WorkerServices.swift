import Logging
import ServiceLifecycle
import VigilCore
import VigilServices

/// What a worker process is configured with (the use cases' own settings are in the
/// `VigilEnvironment` its `Services` were built from).
public struct WorkerSettings: Sendable {
    public var version: String
    public var heartbeatInterval: Duration = .seconds(15)
    public var concurrency: Int = 10
    /// Most jobs one workspace may have running at once across every worker.
    public var maxRunningPerWorkspace: Int = JobWorkerStore.defaultMaxRunningPerWorkspace
    /// Where to LISTEN for enqueue notifications (nil: poll only).
    public var listenConninfo: String?
    public var pollInterval: Duration = .seconds(5)
    /// A running job whose worker has not heartbeated it for this long is rescued. Running jobs
    /// heartbeat four times per period, so one missed beat never triggers a rescue.
    public var staleAfter: Duration = .seconds(120)
    /// On SIGTERM/SIGINT, how long running jobs may finish before they are released.
    public var shutdownGracePeriod: Duration = .seconds(20)

    public init(version: String) {
        self.version = version
    }
}

/// The services a worker process runs: the job runner (with every handler of `JobCatalogue`),
/// the scheduler of its periodic jobs, the heartbeat and the pending-jobs sampler for `/metrics`.
/// They run on the process's one `Services`, which `vigil dev` shares with the API.
public enum WorkerServices {
    public static func make(services: Services, settings: WorkerSettings, metrics: JobMetrics, logger: Logger) throws -> [any Service] {
        var configuration = JobRunnerConfiguration()
        configuration.concurrency = settings.concurrency
        configuration.batchSize = max(10, settings.concurrency)
        configuration.pollInterval = settings.pollInterval
        configuration.staleAfter = settings.staleAfter
        configuration.heartbeatInterval = min(.seconds(15), settings.staleAfter / 4)
        configuration.rescueInterval = min(.seconds(30), settings.staleAfter / 2)
        configuration.shutdownGracePeriod = settings.shutdownGracePeriod
        let registry = try JobCatalogue.registry(services: services, logger: logger, metrics: metrics)
        let runner = JobRunner(store: services.jobWorkerStore(listenConninfo: settings.listenConninfo,
                                                              maxRunningPerWorkspace: settings.maxRunningPerWorkspace,
                                                              kindCaps: registry.runningCaps),
                               registry: registry,
                               configuration: configuration, logger: logger, metrics: metrics)
        let heartbeat = HeartbeatService(heartbeat: services.workerHeartbeat(version: settings.version),
                                         interval: settings.heartbeatInterval, logger: logger, jobsRunning: { runner.runningCount })
        let periodic = JobCatalogue.periodicJobs(monthlyComplianceReports: services.environment.settings.compliance.monthlyReports)
        let scheduler = Scheduler(scheduling: services.periodicJobScheduling, jobs: periodic, now: services.clock.now, logger: logger)
        let sampler = PendingJobsSampler(admin: services.jobs, metrics: metrics, logger: logger)
        return [runner, scheduler, heartbeat, sampler]
    }
}
