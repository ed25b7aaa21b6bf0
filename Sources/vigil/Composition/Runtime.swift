import Foundation
import Logging
import PostgresClient
import VigilAPI
import VigilRepositories
import ServiceLifecycle
import VigilServices
import VigilCore

/// The composition root: the only place that creates the connection pool and the `Database`.
/// Every command builds one `Runtime` from its settings; its one `Services` is what the API, the
/// worker (both, in `vigil dev`) and the admin commands are given.
struct Runtime {
    let pool: PostgresPool
    /// A worker's heartbeat pool (two connections), nil for processes that run no jobs.
    let heartbeatPool: PostgresPool?
    let services: Services

    static let version = APIApplication.version

    /// `runsJobs`: this process runs the worker (`vigil worker`, `vigil dev`), so its heartbeats
    /// get their own pool. `purpose`: the group role every transaction takes (`serve`: api;
    /// the worker, `vigil dev` and the operator commands: worker).
    init(settings: Settings, logger: Logger, runsJobs: Bool = false, purpose: LoginPurpose = .worker) throws {
        var configuration = PostgresPoolConfiguration(conninfo: settings.databaseURL)
        configuration.maxConnections = settings.poolSize
        configuration.acquireTimeout = .milliseconds(settings.acquireTimeoutMs)
        configuration.statementTimeout = .milliseconds(settings.statementTimeoutMs)
        configuration.idleInTransactionTimeout = .milliseconds(settings.idleInTransactionTimeoutMs)
        pool = PostgresPool(configuration: configuration, logger: logger)
        if runsJobs {
            var heartbeat = configuration
            heartbeat.maxConnections = 2
            heartbeatPool = PostgresPool(configuration: heartbeat, logger: logger)
        } else {
            heartbeatPool = nil
        }
        var serviceSettings = ServiceSettings(adminToken: settings.adminToken, migrations: try MigrationFile.bundled(),
                                              metrics: settings.metricsConfiguration, compliance: settings.complianceConfiguration)
        serviceSettings.secretKeyring = settings.secretKeyring
        serviceSettings.authFailures = settings.authFailureLimits
        serviceSettings.limits = settings.workspaceLimits
        serviceSettings.housekeeping.auditSigningKey = settings.auditSigningKey
        serviceSettings.housekeeping.auditSegmentKeepDays = settings.auditSegmentKeepDays
        if runsJobs && settings.auditSigningKey == nil {
            logger.warning("VIGIL_AUDIT_SIGNING_KEY is not set: the audit log is kept whole past its retention, never sealed or pruned (see docs/compliance.md)")
        }
        if settings.secretKeyring == nil {
            logger.warning("VIGIL_SECRETS_KEY is not set: channels with secrets can be neither saved nor delivered (see docs/operations.md)")
        }
        let environment = VigilEnvironment(
            database: Database(pool: pool, purpose: purpose),
            deliverers: Deliverers(egress: settings.egressPolicy, smtpCABundles: settings.smtpCABundles),
            settings: serviceSettings,
            logger: logger,
            heartbeatDatabase: heartbeatPool.map { Database(pool: $0, purpose: purpose) })
        services = Services(environment: environment)
    }

    /// Stops the pool: commands that do not run a ServiceGroup call this when they are done.
    func shutdown() async {
        await pool.shutdown()
        await heartbeatPool?.shutdown()
    }

    /// The pools, as services of a ServiceGroup.
    var poolServices: [ServiceGroupConfiguration.ServiceConfiguration] {
        [.init(service: pool)] + (heartbeatPool.map { [.init(service: $0)] } ?? [])
    }

    /// A single connection as the connecting user (the owner), for migrations.
    static func migrate(settings: Settings, logger: Logger) async throws -> [String] {
        try await DatabaseProvisioning.migrate(conninfo: settings.databaseURL, logger: logger)
    }

    /// `vigil dev`'s database on its embedded cluster, created on first use (as the superuser
    /// of that private cluster).
    static func createDatabaseIfMissing(named name: String, adminConninfo: String, logger: Logger) async throws {
        try await DatabaseProvisioning.createIfMissing(named: name, adminConninfo: adminConninfo, logger: logger)
    }
}
