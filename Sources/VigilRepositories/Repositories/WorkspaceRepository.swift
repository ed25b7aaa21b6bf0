import Foundation
import PostgresClient
import VigilCore

/// Workspaces: the tenant registry (a platform table, outside row-level security).
public struct WorkspaceRepository: Sendable {
    public init() {}

    static let columns = "id, slug, name, settings, created_at"

    public func insert(_ w: Workspace, on connection: Transaction) async throws {
        try await connection.query("""
            INSERT INTO workspaces (id, slug, name, settings, created_at)
            VALUES (\(w.id), \(w.slug), \(w.name), \(try PostgresJSON(encoding: w.settings)), \(w.createdAt))
            """)
    }

    /// Stores a changed name and settings.
    public func update(_ w: Workspace, on connection: Transaction) async throws {
        try await connection.query("""
            UPDATE workspaces SET name = \(w.name), settings = \(try PostgresJSON(encoding: w.settings)) WHERE id = \(w.id)
            """)
    }

    /// The pseudonymisation secret (migration 0006) of the workspace `connection` is confined to
    /// (`Database.inWorkspace`); never leaves the server. The app roles cannot read the column
    /// (migration 0024): only this workspace's key, through `vigil_workspace_pseudonym_key()`.
    public func pseudonymKey(on connection: Transaction) async throws -> [UInt8]? {
        try await connection.query("SELECT vigil_workspace_pseudonym_key() AS pseudonym_key").first?
            .decode("pseudonym_key", as: Data?.self).map { [UInt8]($0) }
    }

    /// Finds by id when `reference` is a uuid, else by slug.
    public func find(reference: String, on connection: Transaction) async throws -> Workspace? {
        let rows: PostgresRows
        if let id = UUID(uuidString: reference) {
            rows = try await connection.query("SELECT \(unescaped: Self.columns) FROM workspaces WHERE id = \(id)")
        } else {
            rows = try await connection.query("SELECT \(unescaped: Self.columns) FROM workspaces WHERE slug = \(reference)")
        }
        return try rows.first.map(Self.decode)
    }

    public func find(id: UUID, on connection: Transaction) async throws -> Workspace? {
        try await connection.query("SELECT \(unescaped: Self.columns) FROM workspaces WHERE id = \(id)").first.map(Self.decode)
    }

    /// Newest first; `after` is the last item of the previous page.
    public func list(limit: Int, after cursor: TimeCursor?, on connection: Transaction) async throws -> [Workspace] {
        let rows: PostgresRows
        if let cursor {
            rows = try await connection.query("""
                SELECT \(unescaped: Self.columns) FROM workspaces
                WHERE (created_at, id) < (\(Date(microsecondsSince1970: cursor.createdAtMicros)), \(cursor.id))
                ORDER BY created_at DESC, id DESC LIMIT \(limit)
                """)
        } else {
            rows = try await connection.query("""
                SELECT \(unescaped: Self.columns) FROM workspaces ORDER BY created_at DESC, id DESC LIMIT \(limit)
                """)
        }
        return try rows.map(Self.decode)
    }

    static func decode(_ row: PostgresRow) throws -> Workspace {
        Workspace(
            id: try row.decode("id", as: UUID.self),
            slug: try row.decode("slug", as: String.self),
            name: try row.decode("name", as: String.self),
            settings: try row.decode("settings", as: PostgresJSON.self).decode(WorkspaceSettings.self),
            createdAt: try row.decode("created_at", as: Date.self)
        )
    }
}
