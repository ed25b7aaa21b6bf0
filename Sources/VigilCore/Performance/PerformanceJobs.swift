import Foundation

/// Performance baselines (every 6 hours) and the regression analysis (every 30 minutes): a
/// platform tick fans out one job per workspace with timing metrics.
public enum PerformanceJobs {
    public enum Task: String, Sendable, Codable, CaseIterable {
        case baselines, analyze
    }

    public struct DispatchArgs: JobArgs, Equatable {
        public static let kind = "performance.dispatch"
        public static let defaultOptions = JobOptions(maxAttempts: 3, timeout: .seconds(120))
        public var task: Task
        public init(task: Task) { self.task = task }
    }

    /// One workspace; unique per task while pending.
    public struct RunArgs: JobArgs, Equatable {
        public static let kind = "performance.run"
        public static let defaultOptions = JobOptions(maxAttempts: 2, timeout: .seconds(600), maxRunning: 3)
        public var task: Task
        public init(task: Task) { self.task = task }
        public var uniqueKey: String { "performance.\(task.rawValue)" }
    }
}
