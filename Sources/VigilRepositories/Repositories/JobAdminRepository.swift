import Foundation
import PostgresClient
import VigilCore

/// Operators' and admins' view of the queue: listing, inspecting, retrying and cancelling jobs,
/// pending counts, and pruning finished jobs. Cross-workspace reads and every change go through
/// the SECURITY DEFINER functions of migration 0004; `listInWorkspace` is a plain RLS-scoped read.
public struct JobAdminRepository: Sendable {
    static let columns = """
        workspace_id, id, kind, args, state, priority, attempt, max_attempts, run_at, created_at, finished_at,
        last_error, locked_by, locked_at, unique_key, correlation_id
        """

    public init() {}

    /// Any workspace's jobs (nil filters mean "any"), newest first; `beforeID` continues a page.
    public func list(_ filter: JobFilter, workspaceID: UUID?, beforeID: Int64?, limit: Int,
                     on connection: Transaction) async throws -> [JobDetails] {
        try await connection.query("""
            SELECT \(unescaped: Self.columns)
              FROM vigil_list_jobs(\(workspaceID), \(filter.state?.rawValue), \(filter.kind), \(beforeID), \(limit)::integer)
            """).map(Self.details)
    }

    /// The current workspace's jobs (row-level security confines the read), newest first.
    public func listInWorkspace(_ filter: JobFilter, beforeID: Int64?, limit: Int,
                                on connection: Transaction) async throws -> [JobDetails] {
        try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM jobs
             WHERE (\(filter.state?.rawValue)::text IS NULL OR state = \(filter.state?.rawValue))
               AND (\(filter.kind)::text IS NULL OR kind = \(filter.kind))
               AND (\(beforeID)::bigint IS NULL OR id < \(beforeID))
             ORDER BY id DESC
             LIMIT \(limit)
            """).map(Self.details)
    }

    public func find(id: Int64, on connection: Transaction) async throws -> JobDetails? {
        try await connection.query("SELECT \(unescaped: Self.columns) FROM vigil_find_job(\(id))").first.map(Self.details)
    }

    /// The job's state afterwards (`available` when retried, otherwise unchanged), nil if no such job.
    public func retry(id: Int64, on connection: Transaction) async throws -> JobState? {
        try await connection.query("SELECT vigil_retry_job(\(id)) AS state").first?
            .decode("state", as: String?.self).flatMap(JobState.init(rawValue:))
    }

    /// The job's state afterwards (`cancelled` when cancelled, otherwise unchanged), nil if no such job.
    public func cancel(id: Int64, on connection: Transaction) async throws -> JobState? {
        try await connection.query("SELECT vigil_cancel_job(\(id)) AS state").first?
            .decode("state", as: String?.self).flatMap(JobState.init(rawValue:))
    }

    /// Unfinished jobs by kind and state.
    public func pendingCounts(on connection: Transaction) async throws -> [JobCount] {
        try await connection.query("SELECT kind, state, jobs FROM vigil_job_counts()").map { row in
            JobCount(kind: try row.decode("kind", as: String.self),
                     state: JobState(rawValue: try row.decode("state", as: String.self)) ?? .available,
                     jobs: try row.decode("jobs", as: Int.self))
        }
    }

    /// Deletes up to `limit` jobs that finished before `cutoff`; returns how many per workspace.
    public func pruneFinished(before cutoff: Date, limit: Int, on connection: Transaction) async throws -> [UUID: Int] {
        var removed: [UUID: Int] = [:]
        for row in try await connection.query("""
            SELECT workspace_id, removed FROM vigil_prune_finished_jobs(\(cutoff), \(limit)::integer)
            """) {
            removed[try row.decode("workspace_id", as: UUID.self)] = try row.decode("removed", as: Int.self)
        }
        return removed
    }

    static func details(_ row: PostgresRow) throws -> JobDetails {
        JobDetails(
            workspaceID: try row.decode("workspace_id", as: UUID.self),
            id: try row.decode("id", as: Int64.self),
            kind: try row.decode("kind", as: String.self),
            argsJSON: try row.decode("args", as: PostgresJSON.self).raw,
            state: JobState(rawValue: try row.decode("state", as: String.self)) ?? .cancelled,
            priority: try row.decode("priority", as: Int.self),
            attempt: try row.decode("attempt", as: Int.self),
            maxAttempts: try row.decode("max_attempts", as: Int.self),
            runAt: try row.decode("run_at", as: Date.self),
            createdAt: try row.decode("created_at", as: Date.self),
            finishedAt: try row.decode("finished_at", as: Date?.self),
            lastError: try row.decode("last_error", as: String?.self),
            lockedBy: try row.decode("locked_by", as: String?.self),
            lockedAt: try row.decode("locked_at", as: Date?.self),
            uniqueKey: try row.decode("unique_key", as: String?.self),
            correlationID: try row.decode("correlation_id", as: String?.self)
        )
    }
}

