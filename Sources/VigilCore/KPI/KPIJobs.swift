import Foundation

/// KPI rollups, SLO evaluation and digests. The periodic ones are platform jobs that visit
/// every workspace; a due digest becomes its own `digest.send` job in its workspace.
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

    /// Checks every workspace's digest schedule and enqueues the sends that are due.
    public struct DigestDispatchArgs: JobArgs, Equatable {
        public static let kind = "digest.dispatch"
        public static let defaultOptions = JobOptions(maxAttempts: 3, timeout: .seconds(300))
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
