import Foundation

/// Attack scans: a platform tick every five minutes fans out one scan job per workspace with
/// recent security events, so one workspace's scan never delays another's.
public enum SecurityJobs {
    public struct DispatchArgs: JobArgs, Equatable {
        public static let kind = "security.dispatch"
        public static let defaultOptions = JobOptions(maxAttempts: 3, timeout: .seconds(60))
        public init() {}
    }

    /// One workspace; unique while pending, so a slow scan skips a tick rather than piling up.
    public struct ScanArgs: JobArgs, Equatable {
        public static let kind = "security.scan"
        public static let defaultOptions = JobOptions(maxAttempts: 2, timeout: .seconds(300))
        public static let uniqueKey = "security.scan"
        public init() {}
    }
}
