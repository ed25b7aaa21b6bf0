import Foundation

/// KPI rollups, SLO evaluation and digests. The periodic ones are platform ticks that fan out
/// one job per workspace with work to do (unique per workspace while pending), so one tenant's
/// slow or failing rollup, SLO or digest never delays another's; a due digest becomes its own
/// `digest.send` job in its workspace.
public enum KPIJobs {
    public struct DailyRollupArgs: JobArgs, Equatable {
        public static let kind = "kpi.rollup.daily"
        public static let defaultOptions = JobOptions(maxAttempts: 3, timeout: .seconds(600))
        public init() {}
    }

    public struct MonthlyRollupArgs: JobArgs, Equatable {
        public static let kind = "kpi.rollup.monthly"
        public static let defaultOptions = JobOptions(maxAttempts: 3, timeout: .seconds(600))
        public init() {}
    }

    public struct SLOEvaluateArgs: JobArgs, Equatable {
        public static let kind = "slo.evaluate"
        public static let defaultOptions = JobOptions(maxAttempts: 3, timeout: .seconds(600))
        public init() {}
    }

    /// Platform: enqueues a `digest.check` for every workspace with a digest schedule.
    public struct DigestDispatchArgs: JobArgs, Equatable {
        public static let kind = "digest.dispatch"
        public static let defaultOptions = JobOptions(maxAttempts: 3, timeout: .seconds(300))
        public init() {}
    }

    /// One workspace: roll up its dirty KPI periods of one kind (`day` or `month`).
    public struct WorkspaceRollupArgs: JobArgs, Equatable {
        public static let kind = "kpi.rollup"
        public static let defaultOptions = JobOptions(maxAttempts: 3, timeout: .seconds(300))
        public var period: KPIPeriod
        public init(period: KPIPeriod) { self.period = period }
        /// One pending rollup per workspace and period kind.
        public var uniqueKey: String { "kpi.rollup.\(period.rawValue)" }
    }

    /// One workspace: evaluate its SLOs (and raise or resolve their burn alerts).
    public struct WorkspaceSLOEvaluateArgs: JobArgs, Equatable {
        public static let kind = "slo.evaluate.workspace"
        public static let defaultOptions = JobOptions(maxAttempts: 3, timeout: .seconds(300))
        public static let uniqueKey = "slo.evaluate"
        public init() {}
    }

    /// One workspace: check its digest schedule and enqueue the send that is due.
    public struct DigestCheckArgs: JobArgs, Equatable {
        public static let kind = "digest.check"
        public static let defaultOptions = JobOptions(maxAttempts: 3, timeout: .seconds(120))
        public static let uniqueKey = "digest.check"
        public init() {}
    }

    /// Sends one workspace's digest for the period containing `sendTime`. Stored as
    /// `{"send_time": "<unix seconds as a string>"}`.
    public struct DigestSendArgs: JobArgs, Equatable {
        public static let kind = "digest.send"
        public static let defaultOptions = JobOptions(maxAttempts: 8, timeout: .seconds(300))

        public var sendTime: String

        public init(sendTime: Date) { self.sendTime = String(Int(sendTime.timeIntervalSince1970)) }

        /// nil when the stored text is not a number (the job then does nothing, as before).
        public var sendDate: Date? { TimeInterval(sendTime).map { Date(timeIntervalSince1970: $0) } }

        enum CodingKeys: String, CodingKey { case sendTime = "send_time" }
    }
}
