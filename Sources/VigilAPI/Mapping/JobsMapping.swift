import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

/// Job list queries to filters, and queued jobs to response bodies.

extension JobFilter {
    init(_ q: Operations.ListJobs.Input.Query) throws {
        self.init(state: q.state.flatMap { JobState(rawValue: $0.rawValue) }, kind: try APIController.bounded(q.kind, field: "kind", minLength: 1, maxLength: 200))
    }
}

extension Components.Schemas.Job {
    /// Throws when the stored arguments do not decode (a corrupt row), rather than showing none.
    init(_ job: JobDetails) throws {
        let args = try StoredJSON.decode(OpenAPIObjectContainer.self, job.argsJSON, row: "jobs \(job.id) args")
        self.init(
            id: job.id, kind: job.kind, state: .init(rawValue: job.state.rawValue) ?? .cancelled,
            args: .init(additionalProperties: args), priority: job.priority, attempt: job.attempt, maxAttempts: job.maxAttempts,
            runAt: job.runAt, createdAt: job.createdAt, finishedAt: job.finishedAt, lastError: job.lastError,
            uniqueKey: job.uniqueKey, correlationId: job.correlationID)
    }
}
