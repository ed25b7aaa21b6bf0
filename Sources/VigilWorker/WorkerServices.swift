import Logging
import ServiceLifecycle
import VigilCore
import VigilRepositories
import VigilServices

/// What a worker process is configured with.
public struct WorkerSettings: Sendable {
    public var version: String
    public var heartbeatInterval: Duration = .seconds(15)
    public var concurrency: Int = 10
    /// Where to LISTEN for enqueue notifications (nil: poll only).
    public var listenConninfo: String?
    public var pollInterval: Duration = .seconds(5)
    /// A running job whose worker has not heartbeated it for this long is rescued. Running jobs
    /// heartbeat four times per period, so one missed beat never triggers a rescue.
    public var staleAfter: Duration = .seconds(120)
    /// On SIGTERM/SIGINT, how long running jobs may finish before they are released.
    public var shutdownGracePeriod: Duration = .seconds(20)
    public var housekeeping = HousekeepingConfiguration()
    public var compliance = ComplianceConfiguration()

    public init(version: String) {
        self.version = version
    }
}

/// The services a worker process runs: the job runner (with every job kind's handler), the
/// scheduler of periodic jobs, the heartbeat and the pending-jobs sampler for `/metrics`.
/// A job of an unknown kind is discarded with an error, never silently dropped.
public enum WorkerServices {
    /// Periodic jobs defined in code; each tick is enqueued once across all workers.
    public static func periodicJobs(_ settings: WorkerSettings) -> [PeriodicJob] {
        HousekeepingJobs.schedules + ComplianceJobs.schedules(monthly: settings.compliance.monthlyReports) + KPIJobs.schedules
    }

    public static func handlers(database: Database, settings: WorkerSettings, logger: Logger) -> [any JobHandler] {
        let housekeeping = HousekeepingService(database: database, configuration: settings.housekeeping, logger: logger)
        return HousekeepingJobs.handlers(housekeeping: housekeeping, compaction: RollupCompactionService(database: database), logger: logger)
            + DiagnosticJobs.handlers
            + AlertJobHandlers.handlers(delivery: NotificationDeliveryService(database: database, clock: WallClock()),
                                        scheduled: AlertScheduledWork(database: database, clock: WallClock()), logger: logger)
            + ComplianceJobs.handlers(
                generator: ComplianceReportGenerator(database: database, storage: ComplianceService.storage(settings.compliance, database: database),
                                                     logger: logger),
                maintenance: ComplianceMaintenance(database: database, clock: WallClock(), configuration: settings.compliance), logger: logger)
            + KPIJobs.handlers(workspaces: WorkspaceService(database: database, clock: WallClock()), services: kpiServices(database: database), logger: logger)
    }

    /// The KPI, SLO and digest services a worker needs (SLO burn alerts go through the alert service).
    public static func kpiServices(database: Database) -> (kpis: KPIService, slos: SLOService, digests: DigestService) {
        let clock = WallClock()
        let kpis = KPIService(database: database, clock: clock)
        let slos = SLOService(database: database, clock: clock, alerts: AlertService(database: database, clock: clock))
        return (kpis, slos, DigestService(database: database, clock: clock, kpis: kpis, slos: slos))
    }

    public static func make(database: Database, settings: WorkerSettings, metrics: JobMetrics, logger: Logger) -> [any Service] {
        var configuration = JobRunnerConfiguration()
        configuration.concurrency = settings.concurrency
        configuration.batchSize = max(10, settings.concurrency)
        configuration.pollInterval = settings.pollInterval
        configuration.staleAfter = settings.staleAfter
        configuration.heartbeatInterval = min(.seconds(15), settings.staleAfter / 4)
        configuration.rescueInterval = min(.seconds(30), settings.staleAfter / 2)
        configuration.shutdownGracePeriod = settings.shutdownGracePeriod
        let runner = JobRunner(store: JobWorkerStore(database: database, listenConninfo: settings.listenConninfo, logger: logger),
                               handlers: handlers(database: database, settings: settings, logger: logger),
                               configuration: configuration, logger: logger, metrics: metrics)
        let heartbeat = HeartbeatService(heartbeat: WorkerHeartbeat(database: database, version: settings.version),
                                         interval: settings.heartbeatInterval, logger: logger, jobsRunning: { runner.runningCount })
        let scheduler = Scheduler(scheduling: PeriodicJobScheduling(database: database), jobs: periodicJobs(settings), logger: logger)
        let sampler = PendingJobsSampler(admin: JobAdministration(database: database), metrics: metrics, logger: logger)
        return [runner, scheduler, heartbeat, sampler]
    }
}
