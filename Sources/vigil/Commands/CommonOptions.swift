import ArgumentParser
import Configuration
import Logging

/// Flags shared by every command; each overrides the environment variable of the same meaning.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "libpq URI or conninfo (overrides DATABASE_URL).")
    var databaseURL: String?

    @Option(name: .customLong("log-level"), help: "trace|debug|info|notice|warning|error|critical (overrides VIGIL_LOG_LEVEL).")
    var logLevel: String?

    @Option(name: .customLong("log-format"), help: "json|text (overrides VIGIL_LOG_FORMAT).")
    var logFormat: String?

    @Option(name: .customLong("pool-size"), help: "Database connections per process (overrides VIGIL_DB_POOL_SIZE).")
    var poolSize: Int?

    @Option(name: .customLong("max-body-bytes"), help: "Largest accepted request body (overrides VIGIL_MAX_BODY_BYTES).")
    var maxBodyBytes: Int?

    var overrides: [AbsoluteConfigKey: ConfigValue] {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        if let poolSize { values["vigil.db.pool.size"] = .init(.int(poolSize), isSecret: false) }
        if let maxBodyBytes { values["vigil.max.body.bytes"] = .init(.int(maxBodyBytes), isSecret: false) }
        if let databaseURL { values["database.url"] = .init(.string(databaseURL), isSecret: true) }
        if let logLevel { values["vigil.log.level"] = .init(.string(logLevel), isSecret: false) }
        if let logFormat { values["vigil.log.format"] = .init(.string(logFormat), isSecret: false) }
        return values
    }

    /// Loads settings (flags over environment) and sets up logging once.
    func settings(extra: [AbsoluteConfigKey: ConfigValue] = [:]) throws -> (Settings, Logger) {
        let settings = try Settings.load(overrides: overrides.merging(extra) { $1 })
        LogSetup.bootstrap(format: settings.logFormat, level: settings.logLevel)
        return (settings, Logger(label: "vigil"))
    }

    /// Builds the runtime from these options, runs `body` with it, and shuts it down whether
    /// `body` returned or threw.
    func withRuntime<T>(_ body: (Runtime) async throws -> T) async throws -> T {
        let (settings, logger) = try settings()
        let runtime = try Runtime(settings: settings, logger: logger)
        do {
            let result = try await body(runtime)
            await runtime.shutdown()
            return result
        } catch {
            await runtime.shutdown()
            throw error
        }
    }
}
