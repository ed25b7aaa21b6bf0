import Foundation
import PostgresClient
import VigilCore

/// The alerting configuration documents (routes, escalation policies, silences, inhibition
/// rules): each a validated JSON `spec` per row, read and written whole. Channels, which also
/// carry secrets, have their own repository.
public struct AlertingConfigRepository: Sendable {
    /// The tables this repository serves; a closed set, so the name is safe to splice into SQL.
    public enum Table: String, Sendable {
        case routes = "notification_routes"
        case escalationPolicies = "escalation_policies"
        case silences
        case inhibitRules = "inhibit_rules"
    }

    public struct Document: Sendable {
        public var id: UUID
        public var specJSON: String
        public var createdAt: Date
        public var updatedAt: Date
    }

    /// Silences also keep their time range in columns, for "active now" queries.
    public struct TimeRange: Sendable {
        public var startsAt: Date
        public var endsAt: Date
        public init(startsAt: Date, endsAt: Date) { self.startsAt = startsAt; self.endsAt = endsAt }
    }

    public let table: Table

    public init(_ table: Table) {
        self.table = table
    }

    public func insert(id: UUID, workspaceID: UUID, specJSON: String, range: TimeRange? = nil,
                       on connection: Transaction) async throws -> Document {
        let rows: PostgresRows
        if let range {
            rows = try await connection.query("""
                INSERT INTO silences (workspace_id, id, spec, starts_at, ends_at)
                VALUES (\(workspaceID), \(id), \(specJSON)::jsonb, \(range.startsAt), \(range.endsAt))
                RETURNING id, spec, created_at, updated_at
                """)
        } else {
            rows = try await connection.query("""
                INSERT INTO \(unescaped: table.rawValue) (workspace_id, id, spec) VALUES (\(workspaceID), \(id), \(specJSON)::jsonb)
                RETURNING id, spec, created_at, updated_at
                """)
        }
        return try Self.document(rows.first!)
    }

    /// Newest first; `before` continues a page (created_at, id of the last row seen).
    public func list(after cursor: TimeCursor?, limit: Int, on connection: Transaction) async throws -> [Document] {
        try await connection.query("""
            SELECT id, spec, created_at, updated_at FROM \(unescaped: table.rawValue)
             WHERE (\(cursor.map { Date(microsecondsSince1970: $0.createdAtMicros) })::timestamptz IS NULL
                    OR (created_at, id) < (\(cursor.map { Date(microsecondsSince1970: $0.createdAtMicros) }), \(cursor?.id)))
             ORDER BY created_at DESC, id DESC LIMIT \(limit)
            """).map(Self.document)
    }

    /// Every row, oldest first (routes are few; the caller orders them by position).
    public func all(on connection: Transaction) async throws -> [Document] {
        try await connection.query("""
            SELECT id, spec, created_at, updated_at FROM \(unescaped: table.rawValue) ORDER BY created_at, id
            """).map(Self.document)
    }

    public func find(id: UUID, forUpdate: Bool = false, on connection: Transaction) async throws -> Document? {
        try await connection.query("""
            SELECT id, spec, created_at, updated_at FROM \(unescaped: table.rawValue) WHERE id = \(id)
            \(unescaped: forUpdate ? "FOR UPDATE" : "")
            """).first.map(Self.document)
    }

    public func replace(id: UUID, specJSON: String, range: TimeRange? = nil, on connection: Transaction) async throws -> Document? {
        let rows: PostgresRows
        if let range {
            rows = try await connection.query("""
                UPDATE silences SET spec = \(specJSON)::jsonb, starts_at = \(range.startsAt), ends_at = \(range.endsAt), updated_at = now()
                 WHERE id = \(id) RETURNING id, spec, created_at, updated_at
                """)
        } else {
            rows = try await connection.query("""
                UPDATE \(unescaped: table.rawValue) SET spec = \(specJSON)::jsonb, updated_at = now()
                 WHERE id = \(id) RETURNING id, spec, created_at, updated_at
                """)
        }
        return try rows.first.map(Self.document)
    }

    @discardableResult
    public func delete(id: UUID, on connection: Transaction) async throws -> Bool {
        try await connection.execute("DELETE FROM \(unescaped: table.rawValue) WHERE id = \(id)") > 0
    }

    /// Silences in force at `now` (the caller still applies matchers).
    public func activeSilences(at now: Date, on connection: Transaction) async throws -> [Document] {
        try await connection.query("""
            SELECT id, spec, created_at, updated_at FROM silences
             WHERE starts_at <= \(now) AND ends_at > \(now) ORDER BY created_at, id
            """).map(Self.document)
    }

    /// Ids of documents whose spec mentions the channel id anywhere (routes' channel_ids,
    /// policies' levels), so a referenced channel cannot be deleted.
    public func referencing(channelID: UUID, on connection: Transaction) async throws -> [UUID] {
        try await connection.query("""
            SELECT id FROM \(unescaped: table.rawValue) WHERE spec::text LIKE '%' || \(channelID.uuidString.lowercased()) || '%'
            """).map { try $0.decode("id", as: UUID.self) }
    }

    static func document(_ row: PostgresRow) throws -> Document {
        Document(id: try row.decode("id", as: UUID.self), specJSON: try row.decode("spec", as: PostgresJSON.self).raw,
                 createdAt: try row.decode("created_at", as: Date.self), updatedAt: try row.decode("updated_at", as: Date.self))
    }
}
