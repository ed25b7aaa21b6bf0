import Foundation
import VigilCore
import VigilRepositories

public struct ApiKeyService: Sendable {
    let database: Database
    let clock: WallClock
    let audit: AuditTrail
    let keys = ApiKeyRepository()

    /// This process's cache of verified keys, told of revocations (nil: nothing cached).
    let verifiedKeys: VerifiedKeyCache?

    public init(database: Database, clock: WallClock, verifiedKeys: VerifiedKeyCache? = nil) {
        self.verifiedKeys = verifiedKeys
        self.database = database
        self.clock = clock
        self.audit = AuditTrail(clock: clock)
    }

    public func create(in workspaceID: UUID, name: String, role: ApiKeyRole, expiresAt: Date?, actor: Actor,
                       metadata: RequestMetadata) async throws -> IssuedApiKey {
        let trimmed: String
        do { trimmed = try DisplayName.validated(name) } catch { throw ServiceError(error) }
        if let expiresAt, expiresAt <= clock.now() {
            throw ServiceError.invalid(field: "expires_at", message: "expires_at must be in the future")
        }
        return try await database.inWorkspace(workspaceID) { connection in
            try await issue(in: workspaceID, name: trimmed, role: role, expiresAt: expiresAt, actor: actor, metadata: metadata, on: connection)
        }
    }

    /// Creates a key inside the caller's transaction and audits it (never the secret).
    func issue(in workspaceID: UUID, name: String, role: ApiKeyRole, expiresAt: Date?, actor: Actor, metadata: RequestMetadata,
               on connection: Transaction) async throws -> IssuedApiKey {
        let token = ApiKeyToken.generate(workspaceID: workspaceID)
        let key = ApiKey(workspaceID: workspaceID, id: UUID(), name: name, prefix: token.prefix, role: role, createdBy: actor.id,
                         createdAt: clock.currentMicrosecondTime(), expiresAt: expiresAt)
        try await keys.insert(key, hash: token.hash, on: connection)
        try await audit.record(workspaceID: workspaceID, actor: actor, action: "api_key.create", resourceType: "api_key",
                               resourceID: key.id.uuidString.lowercased(),
                               details: ["name": name, "role": role.rawValue, "prefix": token.prefix], request: metadata, on: connection)
        return IssuedApiKey(key: key, secret: token.stringValue)
    }

    public func list(in workspaceID: UUID, limit: Int?, cursor: String?) async throws -> Page<ApiKey> {
        try await paged(limit: limit, cursor: cursor, position: { TimeCursor(createdAt: $0.createdAt, id: $0.id) }) { page in
            try await database.inWorkspace(workspaceID) {
                try await keys.list(workspaceID: workspaceID, limit: page.limit, after: page.cursor, on: $0)
            }
        }
    }

    /// Revokes at once: the next request with the key fails. Repeating it is harmless and
    /// audited only the first time.
    public func revoke(in workspaceID: UUID, id: UUID, actor: Actor, metadata: RequestMetadata) async throws {
        try await database.inWorkspace(workspaceID) { connection in
            guard let existing = try await keys.find(workspaceID: workspaceID, id: id, on: connection) else {
                throw ServiceError.notFound("API key \(id.uuidString.lowercased()) was not found")
            }
            guard existing.revokedAt == nil else { return }
            _ = try await keys.revoke(workspaceID: workspaceID, id: id, at: clock.now(), on: connection)
            // This process forgets it now; the others refuse it in the next transaction that
            // re-checks it (`vigil_enter_workspace`), even before their caches expire.
            verifiedKeys?.forget(keyID: id)
            try await audit.record(workspaceID: workspaceID, actor: actor, action: "api_key.revoke", resourceType: "api_key",
                                   resourceID: id.uuidString.lowercased(), details: ["name": existing.name, "prefix": existing.prefix],
                                   request: metadata, on: connection)
        }
    }
}
