import Foundation
import Logging
import VigilRepositories

/// Every use case, wired to one database; what the API and the CLI are given.
public struct Services: Sendable {
    public let database: Database
    public let auth: AuthService
    public let workspaces: WorkspaceService
    public let apiKeys: ApiKeyService
    public let audit: AuditService
    public let health: HealthService
    public let jobs: JobAdministration
    public let metricIngest: MetricIngestService
    public let metricQueries: MetricQueryService
    public let metricExport: MetricExportService
    public let dashboards: DashboardService
    public let alerts: AlertService
    public let alerting: AlertingConfigService
    public let notifications: NotificationLedgerService
    public let alertmanager: AlertmanagerIntake
    public let compliance: ComplianceService
    public let kpis: KPIService
    public let slos: SLOService
    public let digests: DigestService
    public let performance: PerformanceSummaryService

    public init(database: Database, adminToken: String?, migrations: [MigrationFile], clock: WallClock = WallClock(),
                metrics: MetricsConfiguration = MetricsConfiguration(), compliance: ComplianceConfiguration = ComplianceConfiguration(),
                logger: Logger) {
        self.database = database
        self.auth = AuthService(database: database, adminToken: adminToken, clock: clock, logger: logger)
        self.workspaces = WorkspaceService(database: database, clock: clock)
        self.apiKeys = ApiKeyService(database: database, clock: clock)
        self.audit = AuditService(database: database)
        self.health = HealthService(database: database, migrations: migrations)
        self.jobs = JobAdministration(database: database, clock: clock)
        self.metricIngest = MetricIngestService(database: database, clock: clock, configuration: metrics)
        self.metricQueries = MetricQueryService(database: database, clock: clock)
        self.metricExport = MetricExportService(database: database, clock: clock)
        self.dashboards = DashboardService(queries: metricQueries, clock: clock)
        self.alerts = AlertService(database: database, clock: clock)
        self.alerting = AlertingConfigService(database: database, clock: clock)
        self.notifications = NotificationLedgerService(database: database)
        self.alertmanager = AlertmanagerIntake(alerts: alerts, database: database)
        self.compliance = ComplianceService(database: database, clock: clock, configuration: compliance)
        self.kpis = KPIService(database: database, clock: clock)
        self.slos = SLOService(database: database, clock: clock, alerts: alerts)
        self.digests = DigestService(database: database, clock: clock, kpis: kpis, slos: slos)
        self.performance = PerformanceSummaryService(database: database, clock: clock, queries: metricQueries)
    }
}
