import Foundation

/// The workspace id of platform jobs (not owned by any tenant): the nil uuid.
public let platformJobWorkspaceID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

/// A job to enqueue. Services build it from a `JobArgs` value (see `JobArgs.swift`); the
/// untyped form is for the scheduler, benchmarks and tests.
public struct NewJob: Sendable, Equatable {
    public var workspaceID: UUID
    public var kind: String
    /// The arguments as JSON text (an object, usually).
    public var argsJSON: String
    public var priority: Int16
    /// nil: runnable at once (the database's now()).
    public var runAt: Date?
    public var maxAttempts: Int
    /// While a job with this key is pending (available, running, retryable), enqueueing
    /// another is a no-op.
    public var uniqueKey: String?
    public var correlationID: String?

    public init(
        workspaceID: UUID, kind: String, argsJSON: String = "{}", priority: Int16 = 0, runAt: Date? = nil,
        maxAttempts: Int = 20, uniqueKey: String? = nil, correlationID: String? = LogContext.correlationID
    ) {
        self.workspaceID = workspaceID
        self.kind = kind
        self.argsJSON = argsJSON
        self.priority = priority
        self.runAt = runAt
        self.maxAttempts = maxAttempts
        self.uniqueKey = uniqueKey
        self.correlationID = correlationID
    }
}

/// A job as claimed by a worker (state running; `attempt` already counts this run).
public struct ClaimedJob: Sendable, Equatable {
    public var workspaceID: UUID
    public var id: Int64
    public var kind: String
    public var argsJSON: String
    public var priority: Int16
    public var attempt: Int
    public var maxAttempts: Int
    public var runAt: Date
    public var uniqueKey: String?
    public var correlationID: String?
    /// When this attempt was claimed (the database's clock, like `runAt`).
    public var claimedAt: Date?

    public init(workspaceID: UUID, id: Int64, kind: String, argsJSON: String, priority: Int16, attempt: Int,
                maxAttempts: Int, runAt: Date, uniqueKey: String?, correlationID: String?, claimedAt: Date? = nil) {
        self.workspaceID = workspaceID
        self.id = id
        self.kind = kind
        self.argsJSON = argsJSON
        self.priority = priority
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.runAt = runAt
        self.uniqueKey = uniqueKey
        self.correlationID = correlationID
        self.claimedAt = claimedAt
    }

    /// How long the job waited between becoming due and being claimed (enqueue-to-start for a
    /// job enqueued to run at once).
    public var claimLatency: TimeInterval? {
        claimedAt.map { max(0, $0.timeIntervalSince(runAt)) }
    }

    /// Whether a failure of this attempt ends the job (dead letter) instead of retrying.
    public var isLastAttempt: Bool { attempt >= maxAttempts }
}
