import ArgumentParser
import Logging
import ServiceLifecycle
import VigilServices
import VigilWorker

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the background worker (for now: its heartbeat, which /health reports)."
    )

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let (settings, logger) = try common.settings()
        let runtime = try Runtime(settings: settings, logger: logger)
        let heartbeat = HeartbeatService(heartbeat: WorkerHeartbeat(database: runtime.services.database, version: Runtime.version),
                                         interval: .seconds(settings.heartbeatIntervalSeconds), logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: runtime.pool), .init(service: heartbeat)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
