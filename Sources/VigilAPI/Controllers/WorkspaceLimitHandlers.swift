import Foundation
import VigilCore
import VigilServices

/// `…/limits`: a workspace's keys read their limits and usage; the operator overrides them.
extension APIController {
    func getWorkspaceLimits(_ input: Operations.GetWorkspaceLimits.Input) async throws -> Operations.GetWorkspaceLimits.Output {
        // Viewer and above, like the workspace's settings: an ingest key only writes telemetry.
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            .ok(.init(body: .json(.init(try await services.limits.report(for: caller.workspace.id)))))
        }
    }

    func setWorkspaceLimits(_ input: Operations.SetWorkspaceLimits.Input) async throws -> Operations.SetWorkspaceLimits.Output {
        let info = try await asAdmin()
        guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
        let workspace = try await services.workspaces.find(reference: input.path.workspace)
        _ = try await services.limits.setOverrides(body.byName, for: workspace.id, actor: .admin, request: info.metadata)
        return .ok(.init(body: .json(.init(try await services.limits.report(for: workspace.id)))))
    }
}
