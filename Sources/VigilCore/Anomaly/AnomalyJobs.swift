import Foundation

/// Anomaly scans: a platform tick every 15 minutes fans out one scan job per workspace with
/// enabled detectors, so each workspace's scan is isolated from the others'.
public enum AnomalyJobs {
    public struct DispatchArgs: JobArgs, Equatable {
        public static let kind = "anomaly.dispatch"
        public static let defaultOptions = JobOptions(maxAttempts: 3, timeout: .seconds(60))
        public init() {}
    }

    /// One workspace; unique while pending, so a slow scan skips a tick rather than piling up.
    public struct ScanArgs: JobArgs, Equatable {
        public static let kind = "anomaly.scan"
        public static let defaultOptions = JobOptions(maxAttempts: 2, timeout: .seconds(600), maxRunning: 3)
        public static let uniqueKey = "anomaly.scan"
        public init() {}
    }
}
