/// The housekeeping job kinds: platform jobs (no workspace) enqueued by the scheduler with
/// empty arguments (`{}`).
public enum HousekeepingJobs {
    /// Row-level retention for every workspace and dropping expired daily partitions.
    public struct RetentionCleanupArgs: JobArgs, Equatable {
        public static let kind = "retention.cleanup"
        public static let defaultOptions = JobOptions(maxAttempts: 5, timeout: .seconds(3600))
        public init() {}
    }

    /// Creating the coming days' partitions of time-partitioned tables.
    public struct PartitionsMaintainArgs: JobArgs, Equatable {
        public static let kind = "partitions.maintain"
        public static let defaultOptions = JobOptions(maxAttempts: 5, timeout: .seconds(300))
        public init() {}
    }

    /// Merging the minute rollup partials (and folding them into hour rows).
    public struct RollupsCompactArgs: JobArgs, Equatable {
        public static let kind = "rollups.compact"
        public static let defaultOptions = JobOptions(maxAttempts: 3, timeout: .seconds(300))
        public init() {}
    }
}
