import Foundation
import Logging
import VigilCore
import VigilServices

/// Every job the worker runs, in one place: the handler of each kind and the periodic
/// schedules. A kind missing here is discarded with "no handler" when claimed; a kind listed
/// twice makes `registry` throw. The argument types (kind, defaults, JSON shape) live in the
/// core next to their feature.
public enum JobCatalogue {
    /// `metrics`: where deliveries are counted (the worker's `/metrics`; nil in tools and tests
    /// that serve none).
    public static func registry(services: Services, logger: Logger, metrics: JobMetrics? = nil) throws -> JobRegistry {
        var registry = JobRegistry()
        // Alerting
        try registry.register(NotifyWorker(delivery: services.notificationDelivery, logger: logger, metrics: metrics))
        try registry.register(EscalateWorker(scheduled: services.alertScheduledWork))
        try registry.register(AckTimeoutWorker(scheduled: services.alertScheduledWork))
        try registry.register(StormSummaryWorker(scheduled: services.alertScheduledWork))
        // Alert rules
        try registry.register(AlertRulesDispatchWorker(evaluator: services.alertRuleEvaluator, logger: logger))
        try registry.register(AlertRulesEvaluateWorker(services: services, logger: logger))
        try registry.register(AnomalyDispatchWorker(scanner: services.anomalyScanner))
        try registry.register(AnomalyScanWorker(services: services, logger: logger))
        try registry.register(SecurityDispatchWorker(scanner: services.securityScanner))
        try registry.register(SecurityScanWorker(services: services, logger: logger))
        try registry.register(PerformanceDispatchWorker(insights: services.performanceInsights))
        try registry.register(PerformanceRunWorker(services: services, logger: logger))
        // Compliance
        try registry.register(GenerateReportWorker(generator: services.complianceReports))
        try registry.register(ExpireReportsWorker(maintenance: services.complianceMaintenance, clock: services.clock, logger: logger))
        try registry.register(MonthlyReportsWorker(maintenance: services.complianceMaintenance, logger: logger))
        // KPIs, SLOs and digests
        try registry.register(DailyRollupWorker(fanOut: services.kpiFanOut))
        try registry.register(MonthlyRollupWorker(fanOut: services.kpiFanOut))
        try registry.register(SLOEvaluateWorker(fanOut: services.kpiFanOut))
        try registry.register(DigestDispatchWorker(fanOut: services.kpiFanOut))
        try registry.register(WorkspaceRollupWorker(services: services))
        try registry.register(WorkspaceSLOEvaluateWorker(services: services, logger: logger))
        try registry.register(DigestCheckWorker(services: services))
        try registry.register(DigestSendWorker(services: services, logger: logger))
        // Housekeeping
        try registry.register(RollupsCompactWorker(compaction: services.rollupCompaction, logger: logger))
        try registry.register(RetentionCleanupWorker(housekeeping: services.housekeeping, logger: logger))
        try registry.register(RetentionWorkspaceWorker(services: services, logger: logger))
        try registry.register(PartitionsMaintainWorker(housekeeping: services.housekeeping, logger: logger))
        // Diagnostics
        try registry.register(NoopWorker())
        try registry.register(PingWorker())
        try registry.register(SleepWorker())
        return registry
    }

    /// Periodic jobs (UTC); each tick is enqueued once across all workers. Off-the-hour minutes
    /// keep them away from other cron traffic.
    public static func periodicJobs(monthlyComplianceReports: Bool) -> [PeriodicJob] {
        var jobs = [
            // Retention daily; partitions hourly, so a missed run is far from the seven days
            // created ahead; rollup compaction every minute, so queries merge few partial rows.
            PeriodicJob(name: "retention-cleanup", cron: cron("17 3 * * *"), args: HousekeepingJobs.RetentionCleanupArgs()),
            PeriodicJob(name: "partitions-maintain", cron: cron("5 * * * *"), args: HousekeepingJobs.PartitionsMaintainArgs()),
            PeriodicJob(name: "rollups-compact", cron: cron("* * * * *"), args: HousekeepingJobs.RollupsCompactArgs()),
            PeriodicJob(name: "compliance-expire", cron: cron("23 * * * *"), args: ComplianceJobs.ExpireArgs()),
            // Alert rules every minute: the tick fans out one evaluation job per workspace.
            PeriodicJob(name: "alert-rules-evaluate", cron: cron("* * * * *"), args: AlertRuleJobs.DispatchArgs()),
            // Anomaly scans every 15 minutes, a minute after the quarter so its bucket is complete.
            PeriodicJob(name: "anomaly-scan", cron: cron("1,16,31,46 * * * *"), args: AnomalyJobs.DispatchArgs()),
            // Attack scans every five minutes over the last 15 minutes of security events.
            PeriodicJob(name: "security-scan", cron: cron("*/5 * * * *"), args: SecurityJobs.DispatchArgs()),
            // Performance baselines every 6 hours, the regression analysis every 30 minutes.
            PeriodicJob(name: "performance-baselines", cron: cron("13 */6 * * *"), args: PerformanceJobs.DispatchArgs(task: .baselines)),
            PeriodicJob(name: "performance-analyze", cron: cron("4,34 * * * *"), args: PerformanceJobs.DispatchArgs(task: .analyze)),
        ]
        if monthlyComplianceReports {
            jobs.append(PeriodicJob(name: "compliance-monthly", cron: cron("0 4 1 * *"), args: ComplianceJobs.MonthlyArgs()))
        }
        jobs += [
            // Day rollups every 10 minutes (a day closes at a different UTC hour in every time
            // zone, and late events re-open days at any time); months and SLOs hourly; digests
            // checked every 15 minutes against each workspace's local send hour. Each tick fans
            // out one job per workspace with work of its kind.
            PeriodicJob(name: "kpi-rollup-daily", cron: cron("*/10 * * * *"), args: KPIJobs.DailyRollupArgs()),
            PeriodicJob(name: "kpi-rollup-monthly", cron: cron("7 * * * *"), args: KPIJobs.MonthlyRollupArgs()),
            PeriodicJob(name: "slo-evaluate", cron: cron("2 * * * *"), args: KPIJobs.SLOEvaluateArgs()),
            PeriodicJob(name: "digest-dispatch", cron: cron("*/15 * * * *"), args: KPIJobs.DigestDispatchArgs()),
        ]
        return jobs
    }

    /// The expressions above are constants: one that does not parse is a programming error.
    private static func cron(_ expression: String) -> CronExpression {
        do { return try CronExpression(parsing: expression) } catch { preconditionFailure("cron '\(expression)': \(error)") }
    }
}
