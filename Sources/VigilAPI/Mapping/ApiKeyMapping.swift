import Foundation
import VigilCore
import VigilServices

/// Key roles between the API and the core, and keys to response bodies (the secret only once,
/// in `ApiKeyCreated`).

extension ApiKeyRole {
    init(_ role: Components.Schemas.ApiKeyRole) {
        switch role {
        case .admin: self = .admin
        case .member: self = .member
        case .viewer: self = .viewer
        case .ingest: self = .ingest
        case .edge: self = .edge
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
        case .edge: self = .edge
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
