import Foundation

/// Names one job (its primary key).
public struct JobReference: Sendable, Hashable {
    public var workspaceID: UUID
    public var id: Int64

    public init(workspaceID: UUID, id: Int64) {
        self.workspaceID = workspaceID
        self.id = id
    }
}

/// Narrows a job listing; nil fields match anything.
public struct JobFilter: Sendable, Equatable {
    public var state: JobState?
    public var kind: String?

    public init(state: JobState? = nil, kind: String? = nil) {
        self.state = state
        self.kind = kind
    }
}

/// Everything stored about a job, for `vigil jobs show` and the jobs endpoint.
public struct JobDetails: Sendable, Equatable {
    public var workspaceID: UUID
    public var id: Int64
    public var kind: String
    public var argsJSON: String
    public var state: JobState
    public var priority: Int
    public var attempt: Int
    public var maxAttempts: Int
    public var runAt: Date
    public var createdAt: Date
    public var finishedAt: Date?
    public var lastError: String?
    public var lockedBy: String?
    public var lockedAt: Date?
    public var uniqueKey: String?
    public var correlationID: String?

    public init(workspaceID: UUID, id: Int64, kind: String, argsJSON: String, state: JobState, priority: Int, attempt: Int, maxAttempts: Int, runAt: Date, createdAt: Date, finishedAt: Date? = nil, lastError: String? = nil, lockedBy: String? = nil, lockedAt: Date? = nil, uniqueKey: String? = nil, correlationID: String? = nil) {
        self.workspaceID = workspaceID
        self.id = id
        self.kind = kind
        self.argsJSON = argsJSON
        self.state = state
        self.priority = priority
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.runAt = runAt
        self.createdAt = createdAt
        self.finishedAt = finishedAt
        self.lastError = lastError
        self.lockedBy = lockedBy
        self.lockedAt = lockedAt
        self.uniqueKey = uniqueKey
        self.correlationID = correlationID
    }
}

/// Unfinished jobs of one kind in one state.
public struct JobCount: Sendable, Equatable {
    public var kind: String
    public var state: JobState
    public var jobs: Int

    public init(kind: String, state: JobState, jobs: Int) {
        self.kind = kind
        self.state = state
        self.jobs = jobs
    }
}
