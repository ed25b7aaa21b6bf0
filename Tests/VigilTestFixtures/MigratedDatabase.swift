import Foundation
import Logging
import PostgresClient
import VigilRepositories
import VigilTestSupport

/// A fresh database per test, cloned from a template migrated once per test process
/// (cloning is far faster than migrating, and lets tests run in parallel).
public struct MigratedDatabase: Sendable {
    public let name: String
    /// Superuser connection string: for set-up and for reaching past the application role.
    public let ownerConninfo: String
    let cluster: TestClusterHandle

    /// Warnings and worse only: request lines from hundreds of test requests would bury failures.
    public static let logger: Logger = {
        var logger = Logger(label: "vigil.tests")
        logger.logLevel = .warning
        return logger
    }()

    public static func create() async throws -> MigratedDatabase {
        let cluster = try await TestCluster.shared()
        let template = try await Template.shared.name(cluster: cluster)
        let name = try await cluster.createDatabase(template: template)
        return MigratedDatabase(name: name, ownerConninfo: cluster.conninfo(database: name), cluster: cluster)
    }

    /// A pool like the application's: every connection drops to the vigil_app role.
    public func makeAppPool(maxConnections: Int = 8, acquireTimeout: Duration = .seconds(10)) -> PostgresPool {
        var configuration = PostgresPoolConfiguration(conninfo: ownerConninfo)
        configuration.maxConnections = maxConnections
        configuration.acquireTimeout = acquireTimeout
        configuration.sessionSetup = Database.applicationSessionSetup
        return PostgresPool(configuration: configuration, logger: Self.logger)
    }

    /// A single superuser connection (bypasses row-level security).
    public func ownerConnection() async throws -> PostgresConnection {
        try await PostgresConnection.connect(conninfo: ownerConninfo, logger: Self.logger)
    }

    public func drop() async throws {
        try await cluster.dropDatabase(name)
    }
}

/// Migrates the template exactly once per process, however many tests ask at once.
actor Template {
    static let shared = Template()
    private var task: Task<String, any Error>?

    func name(cluster: TestClusterHandle) async throws -> String {
        if let task { return try await task.value }
        let task = Task<String, any Error> {
            let name = try await cluster.createDatabase(template: nil)
            let connection = try await PostgresConnection.connect(conninfo: cluster.conninfo(database: name), logger: MigratedDatabase.logger)
            do {
                try await Migrator(files: try MigrationFile.bundled(), logger: MigratedDatabase.logger).migrate(on: connection)
                await connection.close()
            } catch {
                await connection.close()
                throw error
            }
            return name
        }
        self.task = task
        return try await task.value
    }
}
