import ArgumentParser
import Configuration
import Logging
import ServiceLifecycle
import UnixSignals
import VigilAPI
import VigilCore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP API.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Address to bind (overrides VIGIL_HTTP_HOST).")
    var host: String?

    @Option(help: "Port to bind (overrides VIGIL_HTTP_PORT).")
    var port: Int?

    func run() async throws {
        var extra: [AbsoluteConfigKey: ConfigValue] = [:]
        if let host { extra["vigil.http.host"] = .init(.string(host), isSecret: false) }
        if let port { extra["vigil.http.port"] = .init(.int(port), isSecret: false) }
        let (settings, logger) = try common.settings(extra: extra)
        // The API login holds vigil_app only: no cross-tenant operator functions.
        let runtime = try Runtime(settings: settings, logger: logger, purpose: .api, readReplica: true)
        let app = try APIApplication.make(services: runtime.services, configuration: settings.apiConfiguration, logger: logger)
        let group = ServiceGroup(configuration: .init(services: runtime.poolServices + [.init(service: app)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

extension Settings {
    var apiConfiguration: APIConfiguration {
        var configuration = APIConfiguration(host: httpHost, port: httpPort, maxBodyBytes: maxBodyBytes)
        configuration.trustedProxies = trustedProxies
        configuration.readCacheBytes = readCacheMegabytes * 1024 * 1024
        return configuration
    }
}
