import Foundation
import Logging
import PostgresClient
import VigilCore
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

    /// The runtime logins every test process creates on its cluster (`vigil db create-login`),
    /// like production's split: the tests run the application as them, never as the superuser.
    /// The password is for a shared VIGIL_TEST_DATABASE_URL server that does not trust local
    /// connections; the throwaway cluster ignores it.
    public static func loginName(_ purpose: LoginPurpose) -> String { "vigil_test_\(purpose.rawValue)" }
    public static let loginPassword = "vigil-test-login-5c1e"

    /// Connection string of this database as the api or the worker login.
    public func conninfo(as purpose: LoginPurpose) -> String {
        (try? PostgresConninfo.setting(["user": Self.loginName(purpose), "password": Self.loginPassword], in: ownerConninfo))
            ?? "\(ownerConninfo) user='\(Self.loginName(purpose))' password='\(Self.loginPassword)'"
    }

    /// The worker login's connection string (what `vigil worker` and `vigil dev` run as).
    public var workerConninfo: String { conninfo(as: .worker) }

    /// A pool like the application's, as the runtime login of `purpose` (default: the worker,
    /// which `vigil dev` also runs the API as). Pair it with `Database(pool:purpose:)` of the
    /// same purpose: every transaction takes that login's group role.
    public func makeAppPool(maxConnections: Int = 8, acquireTimeout: Duration = .seconds(10),
                            as purpose: LoginPurpose = .worker) -> PostgresPool {
        var configuration = PostgresPoolConfiguration(conninfo: conninfo(as: purpose))
        configuration.maxConnections = maxConnections
        configuration.acquireTimeout = acquireTimeout
        return PostgresPool(configuration: configuration, logger: Self.logger)
    }

    /// A single superuser connection (bypasses row-level security).
    public func ownerConnection() async throws -> PostgresConnection {
        try await PostgresConnection.connect(conninfo: ownerConninfo, logger: Self.logger)
    }

    /// A copy of this database as it is now (`CREATE DATABASE … TEMPLATE`): a replica frozen at
    /// this instant, for read-replica tests. Close every pool on this database first (the copy
    /// waits a while for sessions to go).
    public func snapshot() async throws -> MigratedDatabase {
        let name = try await cluster.createDatabase(template: name)
        return MigratedDatabase(name: name, ownerConninfo: cluster.conninfo(database: name), cluster: cluster)
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
                for purpose in LoginPurpose.allCases {
                    try await createLogin(purpose, on: connection)
                }
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

    /// Logins are cluster-wide: another test process on a shared server may create the same one
    /// at once, so a lost race (duplicate or concurrent update) is retried once.
    private func createLogin(_ purpose: LoginPurpose, on connection: PostgresConnection) async throws {
        let name = MigratedDatabase.loginName(purpose)
        do {
            _ = try await LoginProvisioning.createLogin(named: name, for: purpose, password: MigratedDatabase.loginPassword, on: connection)
        } catch {
            try await Task.sleep(for: .milliseconds(200))
            _ = try await LoginProvisioning.createLogin(named: name, for: purpose, password: MigratedDatabase.loginPassword, on: connection)
        }
    }
}
