/// Where a job is in its life. Stored as text in `jobs.state`.
public enum JobState: String, Sendable, CaseIterable, Codable {
    case available, running, succeeded, retryable, discarded, cancelled

    /// A claim may pick it up (once its run_at has come).
    public var isRunnable: Bool { self == .available || self == .retryable }

    /// Holds its unique key: a second enqueue with the same key is a no-op.
    public var holdsUniqueKey: Bool { self == .available || self == .running || self == .retryable }

    /// Nothing will happen to it any more.
    public var isFinal: Bool { self == .succeeded || self == .discarded || self == .cancelled }
}
