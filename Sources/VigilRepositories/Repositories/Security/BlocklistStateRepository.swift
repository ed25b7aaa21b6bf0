import Foundation
import PostgresClient
import VigilCore

/// The two blocklist digests (SHA-256 hex of the text form's body, and of the entries behind
/// the JSON form) and when the first listed block expires, after which the list differs.
public struct BlocklistDigests: Sendable, Equatable {
    public var text: String
    public var entries: String
    public var nextExpiry: Date?

    public init(text: String, entries: String, nextExpiry: Date?) {
        self.text = text
        self.entries = entries
        self.nextExpiry = nextExpiry
    }
}

/// The workspace's blocklist version and the last computed digests (migration 0025): triggers
/// bump the version with every change to a block, so stored digests for the current version
/// that have not passed their expiry are the list's digests, read in O(1).
public struct BlocklistStateRepository: Sendable {
    public init() {}

    /// The stored digests, when they belong to the current version and are still valid.
    public func validDigests(at now: Date, on connection: Transaction) async throws -> BlocklistDigests? {
        try await connection.query("""
            SELECT text_etag, json_etag, valid_until FROM security_ips_blocklist
             WHERE etag_version = version AND (valid_until IS NULL OR valid_until > \(now))
            """).first.map { row in
            BlocklistDigests(text: try row.decode("text_etag", as: String.self), entries: try row.decode("json_etag", as: String.self),
                             nextExpiry: try row.decode("valid_until", as: Date?.self))
        }
    }

    /// The current version, creating the workspace's row at 0 if it has none. Read before the
    /// digests are computed: a block committed in between bumps it, and `store` then stores
    /// nothing.
    public func version(on connection: Transaction) async throws -> Int64 {
        try await connection.execute("""
            INSERT INTO security_ips_blocklist (workspace_id) VALUES (vigil_current_workspace()) ON CONFLICT (workspace_id) DO NOTHING
            """)
        return try await connection.query("SELECT version FROM security_ips_blocklist").first?.decode("version", as: Int64.self) ?? 0
    }

    /// Keeps digests computed at `version`, unless the version has moved on since.
    public func store(_ digests: BlocklistDigests, version: Int64, on connection: Transaction) async throws {
        try await connection.execute("""
            UPDATE security_ips_blocklist
               SET text_etag = \(digests.text), json_etag = \(digests.entries), etag_version = \(version), valid_until = \(digests.nextExpiry)
             WHERE version = \(version)
            """)
    }
}
