import ArgumentParser
import Logging
import ServiceLifecycle
import UnixSignals
import VigilServices
import VigilWorker

extension Settings {
    var workerSettings: WorkerSettings {
        var worker = WorkerSettings(version: Runtime.version)
        worker.heartbeatInterval = .seconds(heartbeatIntervalSeconds)
        worker.concurrency = workerConcurrency
        worker.maxRunningPerWorkspace = workerMaxRunningPerWorkspace
        worker.listenConninfo = databaseListenURL ?? databaseURL
        worker.pollInterval = .milliseconds(workerPollMs)
        worker.staleAfter = .seconds(workerStaleSeconds)
        worker.shutdownGracePeriod = .seconds(workerShutdownGraceSeconds)
        return worker
    }

    /// The job runner (woken by LISTEN on the same server, polling if that fails), the
    /// scheduler, the heartbeat, and — when a port is configured — the worker's /metrics.
    func workerServices(services shared: Services, logger: Logger, defaultMetricsPort: Int?) throws -> [any Service] {
        let metrics = JobMetrics()
        var services = try WorkerServices.make(services: shared, settings: workerSettings, metrics: metrics, logger: logger)
        if let port = workerMetricsPort ?? defaultMetricsPort, port > 0 {
            let health = shared.health
            services.append(WorkerMetricsServer.make(host: workerMetricsHost, port: port, metrics: metrics,
                                                     readRouting: { health.readRouting }, logger: logger))
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
        let runtime = try Runtime(settings: settings, logger: logger, runsJobs: true, readReplica: true)
        let worker = try settings.workerServices(services: runtime.services, logger: logger, defaultMetricsPort: 9469)
        let group = ServiceGroup(configuration: .init(services: runtime.poolServices + worker.map { .init(service: $0) },
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
