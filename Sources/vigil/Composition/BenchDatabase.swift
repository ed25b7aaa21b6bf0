import EmbeddedPostgres
import Foundation
import Logging
import PostgresClient
import VigilRepositories
import VigilServices

/// A fresh, migrated database in a benchmark's own cluster, with a pool running as the
/// application role. Part of the composition root: the only code in the CLI that may touch
/// the driver and the repositories.
struct BenchDatabase {
    let conninfo: String
    let pool: PostgresPool
    let jobs: JobBenchmark

    /// Every use case over this database (no admin token, no migrations list), for benchmarks
    /// that drive services directly.
    func services(logger: Logger) -> Services {
        Services(environment: VigilEnvironment(database: Database(pool: pool), settings: ServiceSettings(adminToken: nil, migrations: []),
                                               logger: logger))
    }

    func shutdown() async {
        await pool.shutdown()
    }

    static func create(named name: String, in postgres: EmbeddedPostgres, maxConnections: Int, logger: Logger) async throws -> BenchDatabase {
        try await DatabaseProvisioning.recreate(named: name, adminConninfo: postgres.conninfo, logger: logger)
        let conninfo = postgres.conninfo(database: name)
        _ = try await DatabaseProvisioning.migrate(conninfo: conninfo, logger: logger)

        var configuration = PostgresPoolConfiguration(conninfo: conninfo)
        configuration.maxConnections = maxConnections
        let pool = PostgresPool(configuration: configuration, logger: logger)
        return BenchDatabase(conninfo: conninfo, pool: pool, jobs: JobBenchmark(database: Database(pool: pool)))
    }
}
