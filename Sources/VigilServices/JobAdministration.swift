import Foundation
import VigilCore
import VigilRepositories

/// Inspecting and steering the queue: `vigil jobs list|show|retry|cancel` (operators, any
/// workspace) and `GET /v1/workspaces/{workspace}/jobs` (a workspace admin, own jobs only).
/// Retries and cancels are audited in the job's workspace.
public struct JobAdministration: Sendable {
    let database: Database
    let repository = JobAdminRepository()
    let audit: AuditTrail

    public init(database: Database, clock: WallClock = WallClock()) {
        self.database = database
        self.audit = AuditTrail(clock: clock)
    }

    /// One workspace's jobs, newest first, with the API's paging rules.
    public func list(in workspaceID: UUID, filter: JobFilter, limit: Int?, cursor: String?) async throws -> Page<JobDetails> {
        try await paged(limit: limit, cursor: cursor, position: { SequenceCursor(before: $0.id) }) { page in
            try await database.inWorkspace(workspaceID) {
                try await repository.listInWorkspace(filter, beforeID: page.cursor?.before, limit: page.limit, on: $0)
            }
        }
    }

    /// Any workspace's jobs (nil: all workspaces, the platform's included), newest first.
    public func listAll(workspaceID: UUID?, filter: JobFilter, beforeID: Int64?, limit: Int) async throws -> [JobDetails] {
        try await database.platform { try await repository.list(filter, workspaceID: workspaceID, beforeID: beforeID, limit: limit, on: $0) }
    }

    public func find(id: Int64) async throws -> JobDetails {
        guard let job = try await database.platform({ try await repository.find(id: id, on: $0) }) else {
            throw ServiceError.notFound("job \(id) does not exist")
        }
        return job
    }

    /// Makes a discarded, cancelled or retryable job run again now. Retrying an available job is
    /// a no-op (a repeated command); conflict when it is running or succeeded, or when a pending
    /// job holds its unique key.
    public func retry(id: Int64, actor: Actor, metadata: RequestMetadata) async throws -> JobDetails {
        try await change(id: id, action: "job.retry", actor: actor, metadata: metadata, expecting: .available) {
            try await repository.retry(id: id, on: $0)
        }
    }

    /// Cancels a job that has not started; cancelling a cancelled job is a no-op. Conflict when it
    /// is running or finished otherwise.
    public func cancel(id: Int64, actor: Actor, metadata: RequestMetadata) async throws -> JobDetails {
        try await change(id: id, action: "job.cancel", actor: actor, metadata: metadata, expecting: .cancelled) {
            try await repository.cancel(id: id, on: $0)
        }
    }

    /// Enqueues `job` to run now (`vigil jobs enqueue`), audited in its workspace. With a unique
    /// key a pending job holding it answers a conflict instead of a second run.
    public func enqueueNow(_ job: NewJob, actor: Actor, metadata: RequestMetadata) async throws -> JobDetails {
        let queue = JobQueue()
        let id = try await database.inWorkspace(job.workspaceID) { connection -> Int64? in
            guard let id = try await queue.enqueue(job, on: connection) else { return nil }
            try await audit.record(workspaceID: job.workspaceID, actor: actor, action: "job.enqueue", resourceType: "job",
                                   resourceID: String(id), details: ["kind": job.kind], request: metadata, on: connection)
            return id
        }
        guard let id else {
            throw ServiceError.conflict("a \(job.kind) job is already pending for this workspace; it runs soon")
        }
        return try await find(id: id)
    }

    public func pendingCounts() async throws -> [JobCount] {
        try await database.platform { try await repository.pendingCounts(on: $0) }
    }

    private func change(id: Int64, action: String, actor: Actor, metadata: RequestMetadata, expecting wanted: JobState,
                        _ body: @escaping @Sendable (Transaction) async throws -> JobState?) async throws -> JobDetails {
        let job = try await find(id: id)
        // A repeated command changes nothing and is not audited again.
        if job.state == wanted { return job }
        do {
            try await database.inWorkspace(job.workspaceID) { connection in
                let state = try await body(connection)
                guard state == wanted else {
                    throw ServiceError.conflict("job \(id) is \(state?.rawValue ?? "gone"); \(action) needs it "
                        + (wanted == .available ? "discarded, cancelled or retryable" : "available or retryable"))
                }
                try await audit.record(workspaceID: job.workspaceID, actor: actor, action: action, resourceType: "job",
                                       resourceID: String(id), details: ["kind": job.kind], request: metadata, on: connection)
            }
        } catch let error as StorageError where error.kind == .conflict {
            throw ServiceError.conflict("a pending job with unique key '\(job.uniqueKey ?? "")' already exists")
        }
        return try await find(id: id)
    }
}
