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
    /// The read replica's pool (DATABASE_READ_URL), nil when none is configured or this process
    /// does no heavy reads.
    let readPool: PostgresPool?
    let services: Services

    static let version = APIApplication.version

    /// `runsJobs`: this process runs the worker (`vigil worker`, `vigil dev`), so its heartbeats
    /// get their own pool. `purpose`: the group role every transaction takes (`serve`: api;
    /// the worker, `vigil dev` and the operator commands: worker).
    /// `readReplica`: this process serves heavy reads (`serve`, `worker` for report generation,
    /// `vigil dev`), so it opens a pool to DATABASE_READ_URL when one is set.
    init(settings: Settings, logger: Logger, runsJobs: Bool = false, purpose: LoginPurpose = .worker, readReplica: Bool = false) throws {
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
        var replica: ReadReplica?
        if readReplica, let readURL = settings.databaseReadURL {
            try Self.requireSameLogin(primary: settings.databaseURL, replica: readURL)
            // Same login and limits as the primary pool; a replica that does not answer is given
            // up on quickly, since the primary can serve the read instead.
            var read = configuration
            read.conninfo = readURL
            read.connectTimeout = .seconds(3)
            read.acquireTimeout = .milliseconds(min(settings.acquireTimeoutMs, 3000))
            let readPool = PostgresPool(configuration: read, logger: logger)
            self.readPool = readPool
            replica = ReadReplica(pool: readPool, policy: ReadReplicaPolicy(maxLagSeconds: Double(settings.readMaxLagSeconds)), logger: logger)
            logger.info("heavy reads use the read replica (DATABASE_READ_URL) while its lag is within \(settings.readMaxLagSeconds) s")
        } else {
            readPool = nil
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
            database: Database(pool: pool, purpose: purpose, readReplica: replica),
            deliverers: Deliverers(egress: settings.egressPolicy, smtpCABundles: settings.smtpCABundles),
            settings: serviceSettings,
            logger: logger,
            heartbeatDatabase: heartbeatPool.map { Database(pool: $0, purpose: purpose) })
        services = Services(environment: environment)
    }

    /// The replica is reached as the process's own login, so its transactions take the same
    /// group role: a worker given the API's read URL (vigil.env without worker.env's override)
    /// would fail every report. Refused at start instead. Both without a user (libpq's PGUSER or
    /// the OS user) count as the same.
    static func requireSameLogin(primary: String, replica: String) throws {
        func user(_ conninfo: String) throws -> String? {
            try PostgresConninfo.parse(conninfo).last { $0.key == "user" }?.value
        }
        let primaryUser: String?, replicaUser: String?
        do {
            primaryUser = try user(primary)
            replicaUser = try user(replica)
        } catch {
            throw SettingsError("DATABASE_READ_URL or DATABASE_URL cannot be parsed: \(error)")
        }
        guard primaryUser == replicaUser else {
            throw SettingsError("DATABASE_READ_URL must name the same user as DATABASE_URL (\(primaryUser ?? "none") here), "
                                + "not \(replicaUser ?? "none"): the replica is read as this process's own login")
        }
    }

    /// Stops the pool: commands that do not run a ServiceGroup call this when they are done.
    func shutdown() async {
        await pool.shutdown()
        await heartbeatPool?.shutdown()
        await readPool?.shutdown()
    }

    /// The pools, as services of a ServiceGroup.
    var poolServices: [ServiceGroupConfiguration.ServiceConfiguration] {
        [.init(service: pool)] + (heartbeatPool.map { [.init(service: $0)] } ?? []) + (readPool.map { [.init(service: $0)] } ?? [])
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
