import Foundation
import Logging
import VigilCore
import VigilDelivery
import VigilPrimitives
import VigilRepositories

/// Everything the use cases are built from, made once per process by the composition root
/// (the CLI, or a test): the database, the clock, the outbound deliverers and the settings.
/// `Services` is built from it, and the API and the worker share that one `Services`, so they
/// can never disagree about the time, the configuration or the connection pool.
public struct VigilEnvironment: Sendable {
    public let database: Database
    /// The one clock of the process; tests pass one they can advance.
    public let clock: WallClock
    public let deliverers: Deliverers
    public let settings: ServiceSettings
    public let logger: Logger
    /// A worker's heartbeats (its jobs' and its own) on their own small pool: jobs holding every
    /// connection of the main pool must not starve the heartbeat, or live jobs would be rescued
    /// and run twice. Nil: heartbeats use `database` (processes that run no jobs, tests).
    public let heartbeatDatabase: Database?

    public init(database: Database, clock: WallClock = WallClock(), deliverers: Deliverers = Deliverers(),
                settings: ServiceSettings, logger: Logger, heartbeatDatabase: Database? = nil) {
        self.database = database
        self.clock = clock
        self.deliverers = deliverers
        self.settings = settings
        self.logger = logger
        self.heartbeatDatabase = heartbeatDatabase
    }
}

/// The outbound transports. One HTTP deliverer per process: its thread pool bounds how many
/// webhook and digest POSTs run at once, whichever service sends them. The default refuses
/// every special-purpose destination (loopback, private, link-local...; see `EgressPolicy`).
public struct Deliverers: Sendable {
    public var http: HTTPDeliverer
    public var smtp: SMTPDeliverer

    public init(http: HTTPDeliverer = HTTPDeliverer(), smtp: SMTPDeliverer = SMTPDeliverer()) {
        self.http = http
        self.smtp = smtp
    }

    /// Both transports under one egress policy (`VIGIL_EGRESS_ALLOW`); SMTP with the operator's
    /// named CA bundles (`VIGIL_SMTP_CA_BUNDLES`).
    public init(egress: EgressPolicy, smtpCABundles: SMTPCABundles = SMTPCABundles()) {
        self.init(http: HTTPDeliverer(policy: egress), smtp: SMTPDeliverer(policy: egress, caBundles: smtpCABundles.paths))
    }

    /// The CA bundle names email channels may choose (validated when a channel is saved).
    public var smtpCABundleNames: Set<String> { smtp.caBundleNames }
}

/// The settings use cases read (each from its environment variables, see the README).
public struct ServiceSettings: Sendable {
    /// The platform admin token (nil: platform endpoints refuse everyone).
    public var adminToken: String?
    /// The migrations this build ships, for the health check's schema version.
    public var migrations: [MigrationFile]
    public var metrics: MetricsConfiguration
    public var compliance: ComplianceConfiguration
    public var housekeeping: HousekeepingConfiguration
    /// Throttling of failed authentications (`VIGIL_AUTH_FAILURES_PER_*`); set after init.
    public var authFailures = AuthFailureLimits()
    /// Per-workspace caps: series, configuration objects, reports, query cost
    /// (`VIGIL_LIMIT_*`); set after init.
    public var limits = WorkspaceLimits()
    /// Seals channel secrets at rest (`VIGIL_SECRETS_KEY`); set after init. nil: channels with
    /// secrets can be neither written nor delivered (legacy plaintext rows still deliver).
    public var secretKeyring: SecretKeyring?

    public init(adminToken: String?, migrations: [MigrationFile], metrics: MetricsConfiguration = MetricsConfiguration(),
                compliance: ComplianceConfiguration = ComplianceConfiguration(),
                housekeeping: HousekeepingConfiguration = HousekeepingConfiguration()) {
        self.adminToken = adminToken
        self.migrations = migrations
        self.metrics = metrics
        self.compliance = compliance
        self.housekeeping = housekeeping
    }
}
