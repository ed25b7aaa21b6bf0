import Foundation
import VigilCore
import Logging
import PostgresClient

/// `vigil db create-login`: a runtime login for the API or the worker, made by the migrator
/// (who needs CREATEROLE, or is a superuser). The login can never bypass row-level security and
/// is never the owner; its privileges come only from its group role (migration 0024).
public enum LoginProvisioning {
    public enum Outcome: Sendable, Equatable {
        case created
        /// It existed: its attributes, password and group role were set again.
        case updated
    }

    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// Server-side timeouts stored on the login (`ALTER ROLE … SET`), so they hold on every
    /// server connection it opens, also those PgBouncer opens in transaction mode, where the
    /// pool's own session settings would reach only one of them.
    public struct Timeouts: Sendable, Equatable {
        public var statementMs: Int
        public var idleInTransactionMs: Int

        public init(statementMs: Int, idleInTransactionMs: Int) {
            self.statementMs = statementMs
            self.idleInTransactionMs = idleInTransactionMs
        }
    }

    /// Creates (or brings up to date) login `name` for `purpose`. `password` nil: no password
    /// (local trust or peer authentication only). Refuses a login that is a superuser, can bypass
    /// row-level security or is a member of vigil_owner: most likely the migrator itself, whose
    /// rights this command must not take away.
    public static func createLogin(named name: String, for purpose: LoginPurpose, password: String?, timeouts: Timeouts? = nil,
                                   on connection: PostgresConnection) async throws -> Outcome {
        if let problem = LoginName.problem(with: name) { throw Refusal(description: problem) }
        let group = Database.groupRole(for: purpose)
        var outcome = Outcome.created
        try await connection.simpleQuery("BEGIN")
        do {
            let existing = try await connection.query("""
                SELECT rolsuper AS superuser, rolbypassrls AS bypass, pg_has_role(oid, 'vigil_owner', 'MEMBER') AS owner_member
                  FROM pg_roles WHERE rolname = \(name)
                """).first
            if let existing {
                let privileges = LoginPrivileges(superuser: try existing.decode("superuser", as: Bool.self),
                                                 bypassesRLS: try existing.decode("bypass", as: Bool.self),
                                                 ownerMember: try existing.decode("owner_member", as: Bool.self))
                guard privileges.problems.isEmpty else {
                    throw Refusal(description: "role '\(name)' exists and is \(privileges.problems.joined(separator: ", ")): "
                        + "it cannot be a runtime login (create a new one; keep this one for migrations)")
                }
            }
            outcome = existing == nil ? .created : .updated
            // The statement is built by the server (format's %I and quote_literal), so neither the name nor the
            // password is ever spliced into SQL text here.
            let verb = existing == nil ? "CREATE" : "ALTER"
            let attributes = "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION INHERIT"
            guard let statement = try await connection.query("""
                SELECT format('\(unescaped: verb) ROLE %I \(unescaped: attributes) PASSWORD %s',
                              \(name)::text, coalesce(quote_literal(\(password)::text), 'NULL')) AS sql
                """).first?.decode("sql", as: String.self) else {
                throw Refusal(description: "could not build the statement")
            }
            try await connection.simpleQuery(statement)
            // An api login that was a worker login loses the operator group; then its own group.
            if purpose == .api {
                let worker = Database.groupRole(for: .worker)
                try await execute("SELECT format('REVOKE %I FROM %I', \(worker)::text, \(name)::text) AS sql", on: connection)
            }
            try await execute("SELECT format('GRANT %I TO %I', \(group)::text, \(name)::text) AS sql", on: connection)
            if let timeouts {
                for (setting, milliseconds) in [("statement_timeout", timeouts.statementMs),
                                                ("idle_in_transaction_session_timeout", timeouts.idleInTransactionMs)] {
                    try await execute("""
                        SELECT format('ALTER ROLE %I SET %s = %L', \(name)::text, \(setting)::text, \(String(milliseconds) + "ms")::text) AS sql
                        """, on: connection)
                }
            }
            try await connection.simpleQuery("COMMIT")
        } catch {
            try? await connection.simpleQuery("ROLLBACK")
            throw error
        }
        return outcome
    }

    /// The same on a connection of its own to `conninfo` (the migrator's DATABASE_URL).
    public static func createLogin(named name: String, for purpose: LoginPurpose, password: String?, timeouts: Timeouts? = nil,
                                   conninfo: String, logger: Logger) async throws -> Outcome {
        let connection = try await PostgresConnection.connect(conninfo: conninfo, logger: logger)
        do {
            let outcome = try await createLogin(named: name, for: purpose, password: password, timeouts: timeouts, on: connection)
            await connection.close()
            return outcome
        } catch {
            await connection.close()
            throw error
        }
    }

    private static func execute(_ builder: PostgresQuery, on connection: PostgresConnection) async throws {
        guard let sql = try await connection.query(builder).first?.decode("sql", as: String.self) else { return }
        try await connection.simpleQuery(sql)
    }
}
