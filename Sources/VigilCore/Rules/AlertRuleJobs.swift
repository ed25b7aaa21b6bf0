import Foundation

/// The alert-rule jobs: a platform tick every minute fans out one evaluation job per
/// workspace with enabled rules, so one tenant's slow or failing rules never delay another's.
public enum AlertRuleJobs {
    /// Platform: enqueue `alert_rules.evaluate` for every workspace with enabled rules.
    public struct DispatchArgs: JobArgs, Equatable {
        public static let kind = "alert_rules.dispatch"
        public static let defaultOptions = JobOptions(maxAttempts: 3, timeout: .seconds(60))
        public init() {}
    }

    /// One workspace: evaluate all its enabled rules now. Unique per workspace while pending,
    /// so a workspace whose evaluation outlasts a minute skips ticks instead of piling them up.
    public struct EvaluateArgs: JobArgs, Equatable {
        public static let kind = "alert_rules.evaluate"
        public static let defaultOptions = JobOptions(maxAttempts: 1, timeout: .seconds(55))
        public static let uniqueKey = "alert_rules.evaluate"
        public init() {}
    }
}
