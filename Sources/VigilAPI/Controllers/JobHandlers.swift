import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func listJobs(_ input: Operations.ListJobs.Input) async throws -> Operations.ListJobs.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            let q = input.query
            let filter = JobFilter(state: q.state.flatMap { JobState(rawValue: $0.rawValue) }, kind: q.kind)
            let page = try await services.jobs.list(in: caller.workspace.id, filter: filter, limit: q.limit, cursor: q.cursor)
            return .ok(.init(body: .json(.init(items: try page.items.map(Components.Schemas.Job.init), nextCursor: page.nextCursor))))
        }
    }
}

extension Components.Schemas.Job {
    init(_ job: JobDetails) throws {
        let args = (try? JSONDecoder().decode(OpenAPIObjectContainer.self, from: Data(job.argsJSON.utf8))) ?? OpenAPIObjectContainer()
        self.init(
            id: job.id, kind: job.kind, state: .init(rawValue: job.state.rawValue) ?? .cancelled,
            args: .init(additionalProperties: args), priority: job.priority, attempt: job.attempt, maxAttempts: job.maxAttempts,
            runAt: job.runAt, createdAt: job.createdAt, finishedAt: job.finishedAt, lastError: job.lastError,
            uniqueKey: job.uniqueKey, correlationId: job.correlationID)
    }
}
