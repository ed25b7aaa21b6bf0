import VigilCore

/// Runs the jobs of one argument type. Throwing (or exceeding the kind's timeout) fails the
/// attempt; the runner then retries with backoff or, after the job's last attempt, discards it.
/// Delivery is at least once, so `work` must be idempotent, and it should honour task
/// cancellation: that is how timeouts and shutdown stop it.
public protocol JobWorker: Sendable {
    associatedtype Args: JobArgs
    func work(_ args: Args, job: ClaimedJob) async throws
}

/// A `JobWorker` with its type erased, as the runner and the registry keep it: the kind, the
/// timeout (the kind's default option) and a run function that decodes the arguments first.
public struct JobHandler: Sendable {
    public let kind: String
    public let timeout: Duration
    /// Most jobs of this kind running at once across every worker (nil: no cap).
    public let maxRunning: Int?
    private let body: @Sendable (ClaimedJob) async throws -> Void

    public init<Worker: JobWorker>(_ worker: Worker) {
        self.init(kind: Worker.Args.kind, timeout: Worker.Args.defaultOptions.timeout, maxRunning: Worker.Args.defaultOptions.maxRunning) { job in
            try await worker.work(try JobArgsCoding.decode(Worker.Args.self, from: job.argsJSON), job: job)
        }
    }

    /// For runner tests with made-up kinds (reached through `@testable import`).
    init(kind: String, timeout: Duration, maxRunning: Int? = nil, body: @escaping @Sendable (ClaimedJob) async throws -> Void) {
        self.maxRunning = maxRunning
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
