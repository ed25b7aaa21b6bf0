import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func createWorkspace(_ input: Operations.CreateWorkspace.Input) async throws -> Operations.CreateWorkspace.Output {
        let info = try await asAdmin()
        guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
        let (workspace, key) = try await services.workspaces.create(
            WorkspaceCreation(name: body.name, slug: body.slug, settings: try WorkspaceSettings(body.settings)),
            actor: .admin, metadata: info.metadata)
        return .created(.init(body: .json(.init(workspace: .init(workspace), apiKey: .init(key)))))
    }

    func listWorkspaces(_ input: Operations.ListWorkspaces.Input) async throws -> Operations.ListWorkspaces.Output {
        _ = try await asAdmin()
        let page = try await services.workspaces.list(limit: input.query.limit, cursor: input.query.cursor)
        return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.Workspace.init), nextCursor: page.nextCursor))))
    }

    func updateWorkspace(_ input: Operations.UpdateWorkspace.Input) async throws -> Operations.UpdateWorkspace.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            var settings: WorkspaceSettings?
            if let payload = body.settings {
                var merged = caller.workspace.settings
                try merged.apply(payload)
                settings = merged
            }
            let updated = try await services.workspaces.update(caller.workspace, with: WorkspaceChange(name: body.name, settings: settings),
                                                               actor: .apiKey(caller.keyID), metadata: info.metadata)
            return .ok(.init(body: .json(.init(updated))))
        }
    }

    func getWorkspace(_ input: Operations.GetWorkspace.Input) async throws -> Operations.GetWorkspace.Output {
        // Viewer and above: settings (retention, time zone, …) are not telemetry, so an ingest
        // key, which may only write telemetry, gets 403.
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            .ok(.init(body: .json(.init(caller.workspace))))
        }
    }
}
