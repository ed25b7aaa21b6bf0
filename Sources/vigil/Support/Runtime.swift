import Foundation
import Logging
import PostgresClient
import VigilRepositories
import VigilAPI
import VigilServices

/// The pieces every command builds from settings: a pool running as the application role and
/// the services over it.
struct Runtime {
    let pool: PostgresPool
    let services: Services

    static let version = APIApplication.version

    init(settings: Settings, logger: Logger) throws {
        var configuration = PostgresPoolConfiguration(conninfo: settings.databaseURL)
        configuration.maxConnections = settings.poolSize
        configuration.acquireTimeout = .milliseconds(settings.acquireTimeoutMs)
        configuration.statementTimeout = .milliseconds(settings.statementTimeoutMs)
        configuration.sessionSetup = Database.applicationSessionSetup
        pool = PostgresPool(configuration: configuration, logger: logger)
        services = Services(database: Database(pool: pool), adminToken: settings.adminToken,
                            migrations: try MigrationFile.bundled(), metrics: settings.metricsConfiguration,
                            compliance: settings.complianceConfiguration, logger: logger)
    }

    /// A single connection as the connecting user (the owner), for migrations.
    static func migrate(settings: Settings, logger: Logger) async throws -> [String] {
        let connection = try await PostgresConnection.connect(conninfo: settings.databaseURL, logger: logger)
        do {
            let applied = try await Migrator(files: try MigrationFile.bundled(), logger: logger).migrate(on: connection)
            await connection.close()
            return applied
        } catch {
            await connection.close()
            throw error
        }
    }
}
