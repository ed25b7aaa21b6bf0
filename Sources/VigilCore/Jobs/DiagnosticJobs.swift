/// Job kinds for checking a deployment's worker and for benchmarks: `diagnostic.noop` and
/// `diagnostic.ping` do nothing (two kinds, so a latency probe can be told from a backlog);
/// `diagnostic.sleep` waits `{"milliseconds": n}` (honouring cancellation, so it exercises
/// timeouts and shutdown).
public enum DiagnosticJobs {
    public struct NoopArgs: JobArgs, Equatable {
        public static let kind = "diagnostic.noop"
        public init() {}
    }

    public struct PingArgs: JobArgs, Equatable {
        public static let kind = "diagnostic.ping"
        public init() {}
    }

    public struct SleepArgs: JobArgs, Equatable {
        public static let kind = "diagnostic.sleep"
        public static let defaultOptions = JobOptions(timeout: .seconds(3600))
        public var milliseconds: Int
        public init(milliseconds: Int) { self.milliseconds = milliseconds }
    }
}
