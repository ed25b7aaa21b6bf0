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
            guard let id = UUID(uuidString: input.path.id) else {
                throw ServiceError.invalid(field: "id", message: "id must be a uuid")
            }
            try await services.apiKeys.revoke(in: caller.workspace.id, id: id, actor: caller.actor, metadata: info.metadata)
            return .noContent(.init())
        }
    }
}

extension ApiKeyRole {
    init(_ role: Components.Schemas.ApiKeyRole) {
        switch role {
        case .admin: self = .admin
        case .member: self = .member
        case .viewer: self = .viewer
        case .ingest: self = .ingest
        }
    }
}

extension Components.Schemas.ApiKeyRole {
    init(_ role: ApiKeyRole) {
        switch role {
        case .admin: self = .admin
        case .member: self = .member
        case .viewer: self = .viewer
        case .ingest: self = .ingest
        }
    }
}

extension Components.Schemas.ApiKey {
    init(_ k: ApiKey) {
        self.init(id: k.id.uuidString.lowercased(), name: k.name, prefix: k.prefix, role: .init(k.role), createdAt: k.createdAt,
                  lastUsedAt: k.lastUsedAt, expiresAt: k.expiresAt, revokedAt: k.revokedAt)
    }
}

extension Components.Schemas.ApiKeyCreated {
    init(_ issued: IssuedApiKey) {
        let k = issued.key
        self.init(id: k.id.uuidString.lowercased(), name: k.name, prefix: k.prefix, role: .init(k.role), createdAt: k.createdAt,
                  expiresAt: k.expiresAt, key: issued.secret)
    }
}
