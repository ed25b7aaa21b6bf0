import Logging
import ServiceLifecycle
import VigilCore
import VigilRepositories
import VigilServices

/// The services a worker process runs: the job runner, the scheduler of periodic jobs, and the
/// heartbeat. No job kinds or periodic jobs are registered yet (the features that need them
/// bring their handlers and schedules); a job of an unknown kind is discarded with an error,
/// never silently dropped.
public enum WorkerServices {
    /// Periodic jobs defined in code; each tick is enqueued once across all workers.
    public static let periodicJobs: [PeriodicJob] = []

    public static func make(database: Database, listenConninfo: String?, version: String,
                            heartbeatInterval: Duration, concurrency: Int, logger: Logger) -> [any Service] {
        var configuration = JobRunnerConfiguration()
        configuration.concurrency = concurrency
        let runner = JobRunner(store: JobWorkerStore(database: database, listenConninfo: listenConninfo, logger: logger),
                               handlers: [], configuration: configuration, logger: logger)
        let heartbeat = HeartbeatService(heartbeat: WorkerHeartbeat(database: database, version: version),
                                         interval: heartbeatInterval, logger: logger, jobsRunning: { runner.runningCount })
        let scheduler = Scheduler(database: database, jobs: periodicJobs, logger: logger)
        return [runner, scheduler, heartbeat]
    }
}
