import ArgumentParser
import Configuration
import EmbeddedPostgres
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import VigilAPI
import VigilCore
import VigilServices
import VigilWorker

/// The embedded default: a private PostgreSQL cluster under ./.vigil/, migrated, with a demo
/// workspace and key created once, serving the API and the worker in one process.
struct Dev: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run Vigil with its own PostgreSQL cluster under ./.vigil (development).")

    @OptionGroup var common: CommonOptions

    /// The worker login `vigil dev` creates on its cluster and runs as (no password: the
    /// embedded cluster trusts local connections).
    static let devLogin = "vigil_dev"

    @Option(help: "API port (overrides VIGIL_HTTP_PORT).") var port: Int?
    @Option(name: .customLong("pg-port"), help: "Port of the embedded PostgreSQL (127.0.0.1 only).") var pgPort: Int = 54329
    @Option(name: .customLong("data-dir"), help: "Where the cluster and demo credentials live.") var dataDirectory: String = ".vigil"

    func run() async throws {
        let root = URL(fileURLWithPath: dataDirectory, isDirectory: true).standardizedFileURL
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let bootstrapLogger = Logger(label: "vigil.dev")
        let postgres = EmbeddedPostgres(dataDirectory: root.appendingPathComponent("pgdata").path, port: pgPort, logger: bootstrapLogger)
        try postgres.initializeIfNeeded()
        if !postgres.isRunning { try postgres.start() }

        do {
            try await serve(postgres: postgres, root: root)
        } catch {
            try? postgres.stop()
            throw error
        }
        try postgres.stop()
    }

    private func serve(postgres: EmbeddedPostgres, root: URL) async throws {
        let adminToken = try DevState.adminToken(in: root)
        var extra: [AbsoluteConfigKey: ConfigValue] = [
            "database.url": .init(.string(postgres.conninfo(database: "vigil")), isSecret: true),
            "vigil.admin.token": .init(.string(adminToken), isSecret: true),
        ]
        if let port { extra["vigil.http.port"] = .init(.int(port), isSecret: false) }
        // Channel secrets are sealed in dev too, under a key kept beside the cluster (never printed).
        if ProcessInfo.processInfo.environment["VIGIL_SECRETS_KEY"] == nil {
            extra["vigil.secrets.key"] = .init(.string(try DevState.secretsKey(in: root)), isSecret: true)
        }
        if ProcessInfo.processInfo.environment["VIGIL_AUDIT_SIGNING_KEY"] == nil {
            extra["vigil.audit.signing.key"] = .init(.string(try DevState.auditSigningKey(in: root)), isSecret: true)
        }
        // A developer's receivers run on this machine: unless VIGIL_EGRESS_ALLOW says otherwise,
        // `vigil dev` lets deliveries reach loopback (never done by `serve` or `worker`).
        if ProcessInfo.processInfo.environment["VIGIL_EGRESS_ALLOW"] == nil {
            extra["vigil.egress.allow"] = .init(.string("127.0.0.0/8,::1/128"), isSecret: false)
        }
        if common.logFormat == nil && ProcessInfo.processInfo.environment["VIGIL_LOG_FORMAT"] == nil {
            extra["vigil.log.format"] = .init(.string("text"), isSecret: false)
        }
        let (settings, logger) = try common.settings(extra: extra)

        try await Runtime.createDatabaseIfMissing(named: "vigil", adminConninfo: postgres.conninfo, logger: logger)
        _ = try await Runtime.migrate(settings: settings, logger: logger)
        // Migrations run as the cluster's superuser; the app runs as a worker login, like
        // production's split (the superuser would fail /readyz: it bypasses row-level security).
        _ = try await RuntimeLogins.create(named: Self.devLogin, for: .worker, password: nil, settings: settings, logger: logger)
        var runtimeSettings = settings
        runtimeSettings.databaseURL = try RuntimeLogins.conninfo(settings.databaseURL, as: Self.devLogin)
        let runtime = try Runtime(settings: runtimeSettings, logger: logger, runsJobs: true)
        let demo = try await DevState.demoWorkspace(in: root, services: runtime.services)

        let url = "http://\(settings.httpHost):\(settings.httpPort)"
        // Written straight to the file descriptor: print() is block-buffered when stdout is a
        // pipe or a file, and the banner must show at once.
        FileHandle.standardOutput.write(Data("""

            Vigil is running at \(url)
              workspace:    \(demo.slug) (\(demo.workspaceID))
              API key:      \(demo.key)
              admin token:  \(adminToken)
              data:         \(root.path) (PostgreSQL on 127.0.0.1:\(pgPort))

              curl -H 'Authorization: Bearer \(demo.key)' \(url)/v1/workspaces/\(demo.slug)

            Ctrl-C stops Vigil and its PostgreSQL cluster.

            """.utf8))

        let app = try APIApplication.make(services: runtime.services, configuration: settings.apiConfiguration, logger: logger)
        // One Services for both: the API and the worker share the pool, the clock and the settings.
        let worker = try runtimeSettings.workerServices(services: runtime.services, logger: logger, defaultMetricsPort: nil)
        let group = ServiceGroup(configuration: .init(
            services: runtime.poolServices + [.init(service: app)] + worker.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// What `vigil dev` keeps between runs in its data directory.
enum DevState {
    struct Demo: Codable {
        var workspaceID: String
        var slug: String
        var key: String
    }

    /// The admin token for dev: VIGIL_ADMIN_TOKEN when set, else one generated once and kept
    /// (mode 0600) in the data directory.
    static func adminToken(in root: URL) throws -> String {
        if let token = ProcessInfo.processInfo.environment["VIGIL_ADMIN_TOKEN"], !token.isEmpty { return token }
        let file = root.appendingPathComponent("admin-token")
        if let saved = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !saved.isEmpty {
            return saved
        }
        let token = "vgla_" + CorrelationID.generate() + CorrelationID.generate()
        try write(token, to: file)
        return token
    }

    /// The demo workspace and key, created on the first run and reused after (recreated if the
    /// cluster was wiped).
    static func demoWorkspace(in root: URL, services: Services) async throws -> Demo {
        let file = root.appendingPathComponent("demo.json")
        if let data = try? Data(contentsOf: file), let demo = try? JSONDecoder().decode(Demo.self, from: data),
           (try? await services.workspaces.find(reference: demo.workspaceID)) != nil {
            return demo
        }
        func create(slug: String) async throws -> (Workspace, IssuedApiKey) {
            try await services.workspaces.create(WorkspaceCreation(name: "Demo", slug: slug, settings: WorkspaceSettings()),
                                                 actor: .system("dev"), metadata: .cli)
        }
        let (workspace, key): (Workspace, IssuedApiKey)
        do {
            (workspace, key) = try await create(slug: "demo")
        } catch ServiceError.conflict {
            // demo.json was lost but the cluster kept "demo": make a fresh one beside it.
            (workspace, key) = try await create(slug: "demo-\(CorrelationID.generate().prefix(6))")
        }
        let demo = Demo(workspaceID: workspace.id.uuidString.lowercased(), slug: workspace.slug, key: key.secret)
        try write(String(decoding: try JSONEncoder().encode(demo), as: UTF8.self), to: file)
        return demo
    }

    private static func write(_ text: String, to file: URL) throws {
        try Data(text.utf8).write(to: file, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    }
}
