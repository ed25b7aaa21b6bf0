import Logging
import ServiceLifecycle
import VigilRepositories
import VigilServices

/// The services a worker process runs: the job runner and its heartbeat. No job kinds are
/// registered yet (the features that enqueue jobs bring their handlers); until then a job of
/// an unknown kind is discarded with an error, never silently dropped.
public enum WorkerServices {
    public static func make(database: Database, listenConninfo: String?, version: String,
                            heartbeatInterval: Duration, concurrency: Int, logger: Logger) -> [any Service] {
        var configuration = JobRunnerConfiguration()
        configuration.concurrency = concurrency
        let runner = JobRunner(store: JobWorkerStore(database: database, listenConninfo: listenConninfo, logger: logger),
                               handlers: [], configuration: configuration, logger: logger)
        let heartbeat = HeartbeatService(heartbeat: WorkerHeartbeat(database: database, version: version),
                                         interval: heartbeatInterval, logger: logger, jobsRunning: { runner.runningCount })
        return [runner, heartbeat]
    }
}
