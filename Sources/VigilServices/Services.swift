import Foundation
import Logging
import VigilCore
import VigilRepositories

/// Every use case, built once from one `VigilEnvironment`; what the API, the worker and the
/// CLI are given. The worker's job handlers use the same instances as the API's handlers.
public struct Services: Sendable {
    public let environment: VigilEnvironment
    public let auth: AuthService
    public let workspaces: WorkspaceService
    public let apiKeys: ApiKeyService
    public let audit: AuditService
    public let health: HealthService
    public let jobs: JobAdministration
    public let metricIngest: MetricIngestService
    public let metricQueries: MetricQueryService
    public let metricExport: MetricExportService
    public let rollupCompaction: RollupCompactionService
    public let dashboards: DashboardService
    public let alerts: AlertService
    public let alerting: AlertingConfigService
    public let notifications: NotificationLedgerService
    public let notificationDelivery: NotificationDeliveryService
    public let alertScheduledWork: AlertScheduledWork
    public let alertmanager: AlertmanagerIntake
    public let compliance: ComplianceService
    public let complianceReports: ComplianceReportGenerator
    public let complianceMaintenance: ComplianceMaintenance
    public let kpis: KPIService
    public let slos: SLOService
    /// The per-workspace fan-out of KPI rollups, SLO evaluations and digest checks.
    public let kpiFanOut: KPIFanOut
    public let alertRules: AlertRuleService
    public let alertRuleEvaluator: AlertRuleEvaluator
    public let anomalies: AnomalyService
    public let anomalyScanner: AnomalyScanner
    public let performanceInsights: PerformanceInsightService
    /// Security events, threat scores and blocks, the attack scan and the security dashboard.
    public let securityEvents: SecurityEventService
    public let securityBlocks: SecurityBlockService
    public let securityScanner: SecurityScanner
    public let securityDashboard: SecurityDashboardService
    public let digests: DigestService
    public let performance: PerformanceSummaryService
    public let housekeeping: HousekeepingService
    /// Each workspace's effective limits (defaults with the operator's overrides).
    public let limits: WorkspaceLimitPolicy
    /// Per-minute limits shared by every API process (requests, ingest points, KPI events).
    public let rateLimiter: WorkspaceRateLimiter
    /// `Idempotency-Key` on the creating operations (metric ingest, KPI events, alerts, reports).
    public let idempotency: IdempotentIntake

    public init(environment: VigilEnvironment) {
        let database = environment.database, clock = environment.clock, settings = environment.settings
        let http = environment.deliverers.http, smtp = environment.deliverers.smtp
        self.environment = environment
        let limits = WorkspaceLimitPolicy(defaults: settings.limits, database: database, clock: clock)
        let rateLimiter = WorkspaceRateLimiter(database: database, clock: clock, policy: limits)
        self.limits = limits
        self.rateLimiter = rateLimiter
        self.idempotency = IdempotentIntake(database: database, clock: clock)
        let verifiedKeys = VerifiedKeyCache()
        self.auth = AuthService(database: database, adminToken: settings.adminToken, clock: clock, logger: environment.logger,
                                limits: settings.authFailures, rateLimiter: rateLimiter, verifiedKeys: verifiedKeys)
        self.workspaces = WorkspaceService(database: database, clock: clock, verifiedKeys: verifiedKeys, limits: limits)
        self.apiKeys = ApiKeyService(database: database, clock: clock, verifiedKeys: verifiedKeys)
        self.audit = AuditService(database: database, clock: clock)
        self.health = HealthService(database: database, migrations: settings.migrations)
        self.jobs = JobAdministration(database: database, clock: clock)
        self.metricIngest = MetricIngestService(database: database, clock: clock, configuration: settings.metrics, limits: limits,
                                                rateLimiter: rateLimiter)
        self.metricQueries = MetricQueryService(database: database, clock: clock, limits: limits)
        self.metricExport = MetricExportService(database: database, clock: clock)
        self.rollupCompaction = RollupCompactionService(database: database)
        self.dashboards = DashboardService(queries: metricQueries, clock: clock)
        self.alerts = AlertService(database: database, clock: clock)
        self.alerting = AlertingConfigService(database: database, clock: clock, smtpCABundles: environment.deliverers.smtpCABundleNames,
                                              secretKeyring: settings.secretKeyring, limits: limits)
        self.notifications = NotificationLedgerService(database: database)
        self.notificationDelivery = NotificationDeliveryService(database: database, clock: clock, http: http, smtp: smtp,
                                                                secretKeyring: settings.secretKeyring)
        self.alertScheduledWork = AlertScheduledWork(database: database, clock: clock)
        self.alertmanager = AlertmanagerIntake(alerts: alerts, database: database)
        self.compliance = ComplianceService(database: database, clock: clock, configuration: settings.compliance, limits: limits)
        self.complianceMaintenance = ComplianceMaintenance(database: database, service: compliance, configuration: settings.compliance)
        self.kpis = KPIService(database: database, clock: clock, limits: limits, rateLimiter: rateLimiter)
        self.slos = SLOService(database: database, clock: clock, alerts: alerts, limits: limits)
        self.kpiFanOut = KPIFanOut(database: database)
        self.alertRules = AlertRuleService(database: database, clock: clock, alerts: alerts, limits: limits)
        self.alertRuleEvaluator = AlertRuleEvaluator(database: database, clock: clock, alerts: alerts, limits: limits, logger: environment.logger)
        self.anomalies = AnomalyService(database: database, clock: clock, limits: limits)
        self.performanceInsights = PerformanceInsightService(database: database, clock: clock, alerts: alerts, limits: limits)
        self.anomalyScanner = AnomalyScanner(database: database, clock: clock, alerts: alerts, limits: limits, logger: environment.logger)
        self.securityEvents = SecurityEventService(database: database, clock: clock, rateLimiter: rateLimiter, alerts: alerts)
        self.securityBlocks = SecurityBlockService(database: database, clock: clock)
        self.securityScanner = SecurityScanner(database: database, clock: clock, alerts: alerts, logger: environment.logger)
        self.securityDashboard = SecurityDashboardService(database: database, clock: clock)
        self.complianceReports = ComplianceReportGenerator(
            database: database, clock: clock, storage: ComplianceService.storage(settings.compliance, database: database),
            slos: slos, logger: environment.logger)
        self.digests = DigestService(database: database, clock: clock, kpis: kpis, slos: slos, http: http, smtp: smtp,
                                     secretKeyring: settings.secretKeyring)
        self.performance = PerformanceSummaryService(database: database, clock: clock, queries: metricQueries)
        var housekeeping = settings.housekeeping
        housekeeping.standardRetentionDays = settings.limits.maxRetentionDays
        self.housekeeping = HousekeepingService(database: database, clock: clock, configuration: housekeeping,
                                                logger: environment.logger)
    }

    public var database: Database { environment.database }
    public var clock: WallClock { environment.clock }
    public var logger: Logger { environment.logger }

    // MARK: - What a worker process runs on

    /// The worker's side of the queue; LISTENs on `listenConninfo` when given.
    public func jobWorkerStore(listenConninfo: String?,
                               maxRunningPerWorkspace: Int = JobWorkerStore.defaultMaxRunningPerWorkspace,
                               kindCaps: [String: Int] = [:]) -> JobWorkerStore {
        JobWorkerStore(database: database, heartbeatDatabase: environment.heartbeatDatabase, listenConninfo: listenConninfo,
                       maxRunningPerWorkspace: maxRunningPerWorkspace, kindCaps: kindCaps, logger: logger)
    }

    public func workerHeartbeat(version: String) -> WorkerHeartbeat {
        WorkerHeartbeat(database: environment.heartbeatDatabase ?? database, version: version)
    }

    public var periodicJobScheduling: PeriodicJobScheduling { PeriodicJobScheduling(database: database) }

    /// Runs `body` with every heavy read in it on one server, the replica or the primary, as its
    /// first is routed (`Database.withOneReadServer`): what a cached answer's version read and
    /// its computation need, so the two describe the same data.
    public static func withOneReadServer<T>(_ body: () async throws -> T) async throws -> T {
        try await Database.withOneReadServer(body)
    }
}
