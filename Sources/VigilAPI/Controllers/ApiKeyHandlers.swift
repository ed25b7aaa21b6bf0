import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func createApiKey(_ input: Operations.CreateApiKey.Input) async throws -> Operations.CreateApiKey.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let issued = try await services.apiKeys.create(in: caller.workspace.id, name: body.name, role: ApiKeyRole(body.role),
                                                           expiresAt: body.expiresAt, actor: caller.actor, metadata: info.metadata)
            return .created(.init(body: .json(.init(issued))))
        }
    }

    func listApiKeys(_ input: Operations.ListApiKeys.Input) async throws -> Operations.ListApiKeys.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            let page = try await services.apiKeys.list(in: caller.workspace.id, limit: input.query.limit, cursor: input.query.cursor)
            return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.ApiKey.init), nextCursor: page.nextCursor))))
        }
    }

    func revokeApiKey(_ input: Operations.RevokeApiKey.Input) async throws -> Operations.RevokeApiKey.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            try await services.apiKeys.revoke(in: caller.workspace.id, id: try Self.uuid(input.path.id), actor: caller.actor, metadata: info.metadata)
            return .noContent(.init())
        }
    }
}
