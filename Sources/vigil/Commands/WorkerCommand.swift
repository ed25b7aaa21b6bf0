import ArgumentParser
import Logging
import ServiceLifecycle
import VigilServices
import VigilRepositories
import VigilWorker

extension Settings {
    var workerSettings: WorkerSettings {
        var worker = WorkerSettings(version: Runtime.version)
        worker.heartbeatInterval = .seconds(heartbeatIntervalSeconds)
        worker.concurrency = workerConcurrency
        worker.listenConninfo = databaseURL
        worker.pollInterval = .milliseconds(workerPollMs)
        worker.staleAfter = .seconds(workerStaleSeconds)
        worker.shutdownGracePeriod = .seconds(workerShutdownGraceSeconds)
        worker.compliance = complianceConfiguration
        return worker
    }

    /// The job runner (woken by LISTEN on the same server, polling if that fails), the
    /// scheduler, the heartbeat, and — when a port is configured — the worker's /metrics.
    func workerServices(database: Database, logger: Logger, defaultMetricsPort: Int?) -> [any Service] {
        let metrics = JobMetrics()
        var services = WorkerServices.make(database: database, settings: workerSettings, metrics: metrics, logger: logger)
        if let port = workerMetricsPort ?? defaultMetricsPort, port > 0 {
            services.append(WorkerMetricsServer.make(host: workerMetricsHost, port: port, metrics: metrics, logger: logger))
        }
        return services
    }
}

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the background worker: job runner, scheduler, heartbeat and /metrics (VIGIL_WORKER_METRICS_PORT, default 9469)."
    )

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let (settings, logger) = try common.settings()
        let runtime = try Runtime(settings: settings, logger: logger)
        let worker = settings.workerServices(database: runtime.services.database, logger: logger, defaultMetricsPort: 9469)
        let group = ServiceGroup(configuration: .init(services: [.init(service: runtime.pool)] + worker.map { .init(service: $0) },
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
