import VigilCore

/// Runs one kind of job. Throwing (or exceeding `timeout`) fails the attempt; the runner then
/// retries with backoff or, after the job's last attempt, discards it. Handlers should honour
/// task cancellation: it is how timeouts and shutdown stop them.
public protocol JobHandler: Sendable {
    var kind: String { get }
    var timeout: Duration { get }
    func run(_ job: ClaimedJob) async throws
}

extension JobHandler {
    public var timeout: Duration { .seconds(60) }
}

/// A handler from a closure, for small jobs and tests.
public struct ClosureJobHandler: JobHandler {
    public let kind: String
    public let timeout: Duration
    let body: @Sendable (ClaimedJob) async throws -> Void

    public init(kind: String, timeout: Duration = .seconds(60), _ body: @escaping @Sendable (ClaimedJob) async throws -> Void) {
        self.kind = kind
        self.timeout = timeout
        self.body = body
    }

    public func run(_ job: ClaimedJob) async throws {
        try await body(job)
    }
}

/// The attempt ran longer than its kind's timeout.
public struct JobTimeoutError: Error, CustomStringConvertible {
    public let kind: String
    public let timeout: Duration
    public var description: String { "job of kind '\(kind)' timed out after \(timeout)" }
}

/// What happened to a job, reported to `JobRunner`'s observer (metrics, tests).
public enum JobEvent: Sendable, Equatable {
    /// LISTEN is confirmed: enqueues wake the runner from now on.
    case listening
    case started(ClaimedJob)
    case succeeded(ClaimedJob)
    /// `newState` is retryable or discarded (nil: the job was no longer ours).
    case failed(ClaimedJob, error: String, retryAfter: Duration?, newState: JobState?)
    /// Left unfinished at shutdown and handed back.
    case released(count: Int)
}
