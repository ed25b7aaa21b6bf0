import ArgumentParser
import Logging
import ServiceLifecycle
import VigilServices
import VigilRepositories
import VigilWorker

extension Settings {
    /// The job runner (woken by LISTEN on the same server, polling if that fails) and the heartbeat.
    func workerServices(database: Database, logger: Logger) -> [any Service] {
        WorkerServices.make(database: database, listenConninfo: databaseURL, version: Runtime.version,
                            heartbeatInterval: .seconds(heartbeatIntervalSeconds), concurrency: workerConcurrency, logger: logger)
    }
}

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the background worker: the job runner and its heartbeat (which /health reports)."
    )

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let (settings, logger) = try common.settings()
        let runtime = try Runtime(settings: settings, logger: logger)
        let worker = settings.workerServices(database: runtime.services.database, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: runtime.pool)] + worker.map { .init(service: $0) },
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
