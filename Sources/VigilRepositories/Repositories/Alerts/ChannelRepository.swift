import Foundation
import PostgresClient
import VigilCore

/// Notification channels. Secrets are read only by `withSecrets` (delivery) and `sealedSecrets`
/// (reseal), never by listing. What is written to `secrets` is sealed by the caller
/// (`ChannelSecretSealing`); rows from before migration 0011 hold plaintext and say so
/// (`secrets_sealed = false`) until their next write or `vigil secrets reseal`.
public struct ChannelRepository: Sendable {
    /// The `secrets` column as stored: name -> envelope when `sealed`, legacy plaintext otherwise.
    public struct StoredSecrets: Sendable {
        public var json: String
        public var sealed: Bool
    }

    public struct Row: Sendable {
        public var id: UUID
        public var specJSON: String
        public var secretNames: [String]
        public var createdAt: Date
        public var updatedAt: Date
    }

    public init() {}

    static let columns = "id, spec, ARRAY(SELECT jsonb_object_keys(secrets) ORDER BY 1) AS secret_names, created_at, updated_at"

    /// `sealedSecretsJSON`: the name -> envelope object.
    public func insert(id: UUID, workspaceID: UUID, name: String, kind: String, specJSON: String, sealedSecretsJSON: String,
                       on connection: Transaction) async throws -> Row? {
        try await connection.query("""
            INSERT INTO notification_channels (workspace_id, id, name, kind, spec, secrets, secrets_sealed)
            VALUES (\(workspaceID), \(id), \(name), \(kind), \(specJSON)::jsonb, \(sealedSecretsJSON)::jsonb, true)
            ON CONFLICT (workspace_id, name) DO NOTHING
            RETURNING \(unescaped: Self.columns)
            """).first.map(Self.row)
    }

    public func list(after cursor: TimeCursor?, limit: Int, on connection: Transaction) async throws -> [Row] {
        try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM notification_channels
             WHERE (\(cursor.map { Date(microsecondsSince1970: $0.createdAtMicros) })::timestamptz IS NULL
                    OR (created_at, id) < (\(cursor.map { Date(microsecondsSince1970: $0.createdAtMicros) }), \(cursor?.id)))
             ORDER BY created_at DESC, id DESC LIMIT \(limit)
            """).map(Self.row)
    }

    public func all(on connection: Transaction) async throws -> [Row] {
        try await connection.query("SELECT \(unescaped: Self.columns) FROM notification_channels ORDER BY created_at, id").map(Self.row)
    }

    public func find(id: UUID, on connection: Transaction) async throws -> Row? {
        try await connection.query("SELECT \(unescaped: Self.columns) FROM notification_channels WHERE id = \(id)").first.map(Self.row)
    }

    /// The channel with its stored secrets, for delivery and for merging an update.
    public func withSecrets(id: UUID, on connection: Transaction) async throws -> (row: Row, secrets: StoredSecrets)? {
        guard let row = try await connection.query("""
            SELECT \(unescaped: Self.columns), secrets, secrets_sealed FROM notification_channels WHERE id = \(id)
            """).first else { return nil }
        return (try Self.row(row), try Self.stored(row))
    }

    /// Every channel's stored secrets in the current workspace, locked for a reseal.
    public func sealedSecrets(on connection: Transaction) async throws -> [(id: UUID, secrets: StoredSecrets)] {
        try await connection.query("""
            SELECT id, secrets, secrets_sealed FROM notification_channels ORDER BY id FOR UPDATE
            """).map { (try $0.decode("id", as: UUID.self), try Self.stored($0)) }
    }

    /// Replaces only the secrets (a reseal); the definition and `updated_at` stay.
    public func storeSealedSecrets(id: UUID, sealedSecretsJSON: String, on connection: Transaction) async throws {
        try await connection.execute("""
            UPDATE notification_channels SET secrets = \(sealedSecretsJSON)::jsonb, secrets_sealed = true WHERE id = \(id)
            """)
    }

    /// nil when no such channel, or when the new name is taken (`nameTaken`).
    public func replace(id: UUID, name: String, kind: String, specJSON: String, sealedSecretsJSON: String,
                        on connection: Transaction) async throws -> Row? {
        try await connection.query("""
            UPDATE notification_channels
               SET name = \(name), kind = \(kind), spec = \(specJSON)::jsonb, secrets = \(sealedSecretsJSON)::jsonb,
                   secrets_sealed = true, updated_at = now()
             WHERE id = \(id) RETURNING \(unescaped: Self.columns)
            """).first.map(Self.row)
    }

    public func nameTaken(_ name: String, except id: UUID?, on connection: Transaction) async throws -> Bool {
        try await !connection.query("""
            SELECT 1 FROM notification_channels WHERE name = \(name) AND (\(id)::uuid IS NULL OR id <> \(id))
            """).isEmpty
    }

    @discardableResult
    public func delete(id: UUID, on connection: Transaction) async throws -> Bool {
        try await connection.execute("DELETE FROM notification_channels WHERE id = \(id)") > 0
    }

    static func stored(_ row: PostgresRow) throws -> StoredSecrets {
        StoredSecrets(json: try row.decode("secrets", as: PostgresJSON.self).raw, sealed: try row.decode("secrets_sealed", as: Bool.self))
    }

    static func row(_ row: PostgresRow) throws -> Row {
        Row(id: try row.decode("id", as: UUID.self), specJSON: try row.decode("spec", as: PostgresJSON.self).raw,
            secretNames: try row.decode("secret_names", as: [String].self),
            createdAt: try row.decode("created_at", as: Date.self), updatedAt: try row.decode("updated_at", as: Date.self))
    }
}
