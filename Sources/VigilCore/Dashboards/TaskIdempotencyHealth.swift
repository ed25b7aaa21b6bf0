import Foundation

/// The task-idempotency health rules: thresholds and recommendations, pure and table-tested.
public enum TaskIdempotencyHealth {
    /// "healthy < 1 %, warning < 3 %, else critical" (issue 7; monitoring-enhancements.md,
    /// "Celery Idempotency Health" gauge: Green (<1%), Yellow (1-3%), Red (>3%), and the
    /// `HighDuplicateRate` alert at > 3 %). The SLO is the same 1 % ("SLO Target").
    public static let healthyBelowPercent = 1.0
    public static let warningBelowPercent = 3.0
    /// Vigil's choice: a single task is called out when its own rate reaches the critical
    /// threshold over at least this many requests (fewer would be noise).
    public static let taskMinimumRequests = 100

    /// nil (no requests) → `no_data`; exactly 1 % is already a warning, exactly 3 % critical.
    public static func status(duplicateRatePercent rate: Double?) -> DashboardHealthStatus {
        guard let rate, rate.isFinite else { return .noData }
        if rate < healthyBelowPercent { return .healthy }
        return rate < warningBelowPercent ? .warning : .critical
    }

    static func recommendations(_ s: TaskIdempotencyDashboard.Statistics, exactRatePercent rate: Double?,
                                windowHours: Int) -> [Recommendation] {
        var advice: [Recommendation] = []
        let shown = DashboardMath.format(rate ?? 0)
        let worstTasks = s.taskBreakdown.filter { $0.duplicateHits > 0 }.prefix(3).map(\.name).joined(separator: ", ")
        let starting = worstTasks.isEmpty ? "" : ", starting with \(worstTasks)"
        switch status(duplicateRatePercent: rate) {
        case .noData:
            return [Recommendation(level: .info, message: "No task idempotency metrics in the last \(windowHours) hours",
                                   action: "Send a \(TaskIdempotencyDashboard.checkMetric) counter per task submission, tagged scope, task and result")]
        case .healthy:
            // Reference wording (monitoring-enhancements.md, example response).
            advice.append(Recommendation(level: .info, message: "Excellent idempotency: \(shown)% duplicate rate",
                                         action: "System operating within optimal parameters"))
        case .warning:
            advice.append(Recommendation(level: .warning, message: "Elevated duplicate rate: \(shown)% (target below \(DashboardMath.format(healthyBelowPercent))%)",
                                         action: "Review retry and scheduling settings of the tasks with most duplicates\(starting)"))
        case .critical:
            advice.append(Recommendation(level: .critical, message: "Critical duplicate rate: \(shown)% (alert at \(DashboardMath.format(warningBelowPercent))%)",
                                         action: "Investigate duplicate submissions now\(starting): beat schedules, client retries and idempotency key scopes"))
        }
        if s.lockMetrics.lockFailed > 0 {
            advice.append(Recommendation(level: .warning, message: "\(s.lockMetrics.lockFailed) idempotency lock acquisitions failed",
                                         action: "Check the lock store's availability and latency: a failed lock lets a duplicate run"))
        }
        if status(duplicateRatePercent: rate) != .critical {
            for task in s.taskBreakdown where task.totalRequests >= taskMinimumRequests
                && status(duplicateRatePercent: DashboardMath.percent(Double(task.duplicateHits), of: Double(task.totalRequests))) == .critical {
                advice.append(Recommendation(level: .warning,
                                             message: "Task \(task.name) has a \(DashboardMath.format(task.duplicateRate ?? 0))% duplicate rate",
                                             action: "Check how \(task.name) is scheduled and retried, and the scope of its idempotency key"))
            }
        }
        return DashboardMath.bySeverity(advice)
    }
}
