import Foundation
import PostgresClient
import VigilCore

/// The workspace configuration documents a data subject can be named in (a matcher on a
/// customer's email, a silence's comment, an escalation target). A closed set, so the table
/// name is safe to splice into SQL.
public enum SubjectConfigurationTable: String, Sendable, CaseIterable {
    case alertRules = "alert_rules"
    case routes = "notification_routes"
    case escalationPolicies = "escalation_policies"
    case silences
    case inhibitRules = "inhibit_rules"

    /// Alert rules also have a name column; the others are their spec alone.
    var nameColumn: String { self == .alertRules ? "name" : "''" }
}

public struct SubjectConfigurationRow: Sendable {
    public var table: SubjectConfigurationTable
    public var id: UUID
    public var name: String
    public var specJSON: String
}

// MARK: Configuration documents whose spec (or rule name) mentions the subject.
extension SubjectDataRepository {
    public func matchingConfiguration(_ table: SubjectConfigurationTable, _ q: SubjectQuery,
                                      on connection: Transaction) async throws -> [SubjectConfigurationRow] {
        try await connection.query("""
            SELECT id, \(unescaped: table.nameColumn) AS name, spec::text AS spec FROM \(unescaped: table.rawValue) d
             WHERE EXISTS (SELECT 1 FROM unnest(\(q.terms)::text[]) term
                            WHERE strpos(lower(\(unescaped: table.nameColumn) || ' ' || d.spec::text), term) > 0)
             ORDER BY created_at, id
            """).map { row in
            SubjectConfigurationRow(table: table, id: try row.decode("id", as: UUID.self), name: try row.decode("name", as: String.self),
                                    specJSON: try row.decode("spec", as: String.self))
        }
    }

    public func rewriteConfiguration(_ row: SubjectConfigurationRow, name: String, specJSON: String, on connection: Transaction) async throws {
        if row.table == .alertRules {
            try await connection.execute("UPDATE alert_rules SET name = \(name), spec = \(specJSON)::jsonb, updated_at = now() WHERE id = \(row.id)")
        } else {
            try await connection.execute("""
                UPDATE \(unescaped: row.table.rawValue) SET spec = \(specJSON)::jsonb, updated_at = now() WHERE id = \(row.id)
                """)
        }
    }

    // MARK: Stored answers to idempotent requests (24 hours) that quote the subject.

    public func countIdempotentAnswers(_ q: SubjectQuery, on connection: Transaction) async throws -> Int {
        try await connection.query("""
            SELECT count(*)::bigint AS n FROM idempotency_keys k
             WHERE EXISTS (SELECT 1 FROM unnest(\(q.terms)::text[]) term WHERE strpos(lower(convert_from(k.response_body, 'UTF8')), term) > 0)
            """).first!.decode("n", as: Int.self)
    }

    /// Forgets them: a replay of such a request is then handled as a new request.
    public func deleteIdempotentAnswers(_ q: SubjectQuery, on connection: Transaction) async throws -> Int {
        try await connection.execute("""
            DELETE FROM idempotency_keys k
             WHERE EXISTS (SELECT 1 FROM unnest(\(q.terms)::text[]) term WHERE strpos(lower(convert_from(k.response_body, 'UTF8')), term) > 0)
            """)
    }
}
