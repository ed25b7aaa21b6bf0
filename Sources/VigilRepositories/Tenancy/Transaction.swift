import PostgresClient
import VigilCore

/// One open database transaction, already confined to a workspace (or to the platform
/// scope) by `Database`. Services hold it opaquely and hand it to repositories; only code in
/// this module can run SQL on it, which is what keeps SQL in the repositories layer.
public struct Transaction: Sendable {
    let connection: PostgresConnection
    /// A one-statement transaction (`Database.statementInWorkspace`): its statement carries
    /// the COMMIT, and a second statement is refused.
    let commitsWithItsStatement: Bool

    init(_ connection: PostgresConnection, commitsWithItsStatement: Bool = false) {
        self.connection = connection
        self.commitsWithItsStatement = commitsWithItsStatement
    }

    @discardableResult
    func query(_ q: PostgresQuery) async throws -> PostgresRows {
        try await StorageError.translating {
            commitsWithItsStatement ? try await connection.queryCommitting(q) : try await connection.query(q)
        }
    }

    @discardableResult
    func execute(_ q: PostgresQuery) async throws -> Int {
        try await query(q).affectedRows
    }

    func simpleQuery(_ sql: String) async throws {
        try await StorageError.translating { try await connection.simpleQuery(sql) }
    }

    func copyFrom(_ copySQL: String, rows: [[String?]]) async throws -> Int {
        try await StorageError.translating { try await connection.copyFrom(copySQL, rows: rows) }
    }
}
