import Foundation
import PostgresClient
import VigilCore

/// API keys of one workspace. Callers run these inside `Database.inWorkspace`, so row-level
/// security already confines them; the explicit workspace conditions keep the indexes usable.
public struct ApiKeyRepository: Sendable {
    public init() {}

    static let columns = "workspace_id, id, name, prefix, role, created_by, created_at, last_used_at, expires_at, revoked_at"

    public func insert(_ key: ApiKey, hash: Data, on connection: Transaction) async throws {
        try await connection.query("""
            INSERT INTO api_keys (workspace_id, id, name, prefix, key_hash, role, created_by, created_at, expires_at)
            VALUES (\(key.workspaceID), \(key.id), \(key.name), \(key.prefix), \(hash), \(key.role.rawValue),
                    \(key.createdBy), \(key.createdAt), \(key.expiresAt))
            """)
    }

    public func find(workspaceID: UUID, hash: Data, on connection: Transaction) async throws -> ApiKey? {
        try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM api_keys WHERE workspace_id = \(workspaceID) AND key_hash = \(hash)
            """).first.map(Self.decode)
    }

    public func find(workspaceID: UUID, id: UUID, on connection: Transaction) async throws -> ApiKey? {
        try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM api_keys WHERE workspace_id = \(workspaceID) AND id = \(id)
            """).first.map(Self.decode)
    }

    public func list(workspaceID: UUID, limit: Int, after cursor: TimeCursor?, on connection: Transaction) async throws -> [ApiKey] {
        let rows: PostgresRows
        if let cursor {
            rows = try await connection.query("""
                SELECT \(unescaped: Self.columns) FROM api_keys
                WHERE workspace_id = \(workspaceID)
                  AND (created_at, id) < (\(Date(microsecondsSince1970: cursor.createdAtMicros)), \(cursor.id))
                ORDER BY created_at DESC, id DESC LIMIT \(limit)
                """)
        } else {
            rows = try await connection.query("""
                SELECT \(unescaped: Self.columns) FROM api_keys WHERE workspace_id = \(workspaceID)
                ORDER BY created_at DESC, id DESC LIMIT \(limit)
                """)
        }
        return try rows.map(Self.decode)
    }

    /// Marks the key revoked now; a key already revoked keeps its first revocation time.
    /// Returns false when no such key exists.
    public func revoke(workspaceID: UUID, id: UUID, at now: Date, on connection: Transaction) async throws -> Bool {
        let updated = try await connection.execute("""
            UPDATE api_keys SET revoked_at = COALESCE(revoked_at, \(now)) WHERE workspace_id = \(workspaceID) AND id = \(id)
            """)
        return updated > 0
    }

    /// Records use, at most once a minute per key, so busy keys do not turn every read into a write.
    public func touch(workspaceID: UUID, id: UUID, on connection: Transaction) async throws {
        try await connection.query("""
            UPDATE api_keys SET last_used_at = now()
            WHERE workspace_id = \(workspaceID) AND id = \(id)
              AND (last_used_at IS NULL OR last_used_at < now() - interval '60 seconds')
            """)
    }

    static func decode(_ row: PostgresRow) throws -> ApiKey {
        let roleName = try row.decode("role", as: String.self)
        guard let role = ApiKeyRole(rawValue: roleName) else {
            throw RepositoryError.corruptRow("unknown role '\(roleName)' in api_keys")
        }
        return ApiKey(
            workspaceID: try row.decode("workspace_id", as: UUID.self),
            id: try row.decode("id", as: UUID.self),
            name: try row.decode("name", as: String.self),
            prefix: try row.decode("prefix", as: String.self),
            role: role,
            createdBy: try row.decode("created_by", as: String.self),
            createdAt: try row.decode("created_at", as: Date.self),
            lastUsedAt: try row.decode("last_used_at", as: Date?.self),
            expiresAt: try row.decode("expires_at", as: Date?.self),
            revokedAt: try row.decode("revoked_at", as: Date?.self)
        )
    }
}
