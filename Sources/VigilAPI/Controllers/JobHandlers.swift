import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func listJobs(_ input: Operations.ListJobs.Input) async throws -> Operations.ListJobs.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            let q = input.query
            let page = try await services.jobs.list(in: caller.workspace.id, filter: try JobFilter(q), limit: q.limit, cursor: q.cursor)
            return .ok(.init(body: .json(.init(items: try page.items.map(Components.Schemas.Job.init), nextCursor: page.nextCursor))))
        }
    }
}
