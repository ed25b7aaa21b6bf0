import Foundation
import PostgresClient
import VigilCore

/// A job row whose arguments or last error mention a data subject.
public struct SubjectJobRow: Sendable {
    public var id: Int64
    public var kind: String
    public var state: String
    public var argsJSON: String
    public var lastError: String?
    public var createdAt: Date

    /// Whether the job can no longer run, so its arguments may be rewritten.
    public var isFinished: Bool { JobState(rawValue: state)?.isFinal ?? false }
}

// MARK: Jobs: their arguments and errors may quote what the tenant sent.
extension SubjectDataRepository {
    public func matchingJobs(_ q: SubjectQuery, limit: Int, on connection: Transaction) async throws -> [SubjectJobRow] {
        try await connection.query("""
            SELECT id, kind, state, args::text AS args, last_error, created_at FROM jobs j
             WHERE EXISTS (SELECT 1 FROM unnest(\(q.terms)::text[]) term
                            WHERE strpos(lower(j.args::text || ' ' || coalesce(j.last_error, '')), term) > 0)
             ORDER BY id LIMIT \(limit)
            """).map { row in
            SubjectJobRow(id: try row.decode("id", as: Int64.self), kind: try row.decode("kind", as: String.self),
                          state: try row.decode("state", as: String.self), argsJSON: try row.decode("args", as: String.self),
                          lastError: try row.decode("last_error", as: String?.self), createdAt: try row.decode("created_at", as: Date.self))
        }
    }

    /// Rewrites a job's texts through `vigil_erase_job_texts` (the runtime role cannot update
    /// jobs): the arguments only once the job is finished, the last error always.
    public func rewriteJobTexts(id: Int64, argsJSON: String, lastError: String?, on connection: Transaction) async throws -> Bool {
        try await connection.query("SELECT vigil_erase_job_texts(\(id), \(argsJSON)::jsonb, \(lastError)) AS changed")
            .first?.decode("changed", as: Bool.self) ?? false
    }
}
