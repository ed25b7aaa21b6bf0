/// The housekeeping job kinds: platform jobs (no workspace) enqueued by the scheduler with
/// empty arguments (`{}`).
public enum HousekeepingJobs {
    /// Dropping expired daily partitions and pruning the job queue (platform-wide), then one
    /// `retention.workspace` job per workspace for the rest.
    public struct RetentionCleanupArgs: JobArgs, Equatable {
        public static let kind = "retention.cleanup"
        public static let defaultOptions = JobOptions(maxAttempts: 5, timeout: .seconds(3600))
        public init() {}
    }

    /// One workspace's row-level retention (its tables, series, audit-log sealing), fanned out by
    /// `retention.cleanup`: a workspace whose deletes fail or run long delays only its own.
    public struct RetentionWorkspaceArgs: JobArgs, Equatable {
        public static let kind = "retention.workspace"
        public static let defaultOptions = JobOptions(maxAttempts: 3, timeout: .seconds(1800), maxRunning: 2)
        public static let uniqueKey = "retention.workspace"
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
