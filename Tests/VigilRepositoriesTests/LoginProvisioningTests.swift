import Foundation
import PostgresClient
import Testing
import VigilCore
import VigilRepositories
import VigilTestFixtures

/// `vigil db create-login`: what the login becomes, and what it refuses to touch.
struct LoginProvisioningTests {
    static func membership(_ name: String, on owner: PostgresConnection) async throws -> [String: Bool] {
        let row = try #require(try await owner.query("""
            SELECT rolsuper, rolbypassrls, rolcanlogin, pg_has_role(oid, 'vigil_app', 'MEMBER') AS app,
                   pg_has_role(oid, 'vigil_worker', 'MEMBER') AS worker, pg_has_role(oid, 'vigil_owner', 'MEMBER') AS owner
              FROM pg_roles WHERE rolname = \(name)
            """).first)
        var result: [String: Bool] = [:]
        for column in ["rolsuper", "rolbypassrls", "rolcanlogin", "app", "worker", "owner"] {
            result[column] = try row.decode(column, as: Bool.self)
        }
        return result
    }

    @Test func createsThenUpdatesAndAnAPILoginLosesTheOperatorGroup() async throws {
        let db = try await MigratedDatabase.create()
        let owner = try await db.ownerConnection()
        let name = "vigil_t_\(UUID().uuidString.prefix(8).lowercased())"
        // A password with quotes and format() placeholders goes through intact.
        #expect(try await LoginProvisioning.createLogin(named: name, for: .worker, password: "p'a%s%I\"s", on: owner) == .created)
        #expect(try await Self.membership(name, on: owner) ==
                ["rolsuper": false, "rolbypassrls": false, "rolcanlogin": true, "app": true, "worker": true, "owner": false])
        #expect(try await LoginProvisioning.createLogin(named: name, for: .api, password: nil, on: owner) == .updated)
        #expect(try await Self.membership(name, on: owner) ==
                ["rolsuper": false, "rolbypassrls": false, "rolcanlogin": true, "app": true, "worker": false, "owner": false])
        try await owner.simpleQuery("DROP ROLE \(name)")
        await owner.close()
        try await db.drop()
    }

    /// The timeouts live on the login, so every server connection it opens has them, also
    /// those PgBouncer opens in transaction mode (which the pool's session settings never reach).
    @Test func storesTheTimeoutsOnTheLogin() async throws {
        let db = try await MigratedDatabase.create()
        let owner = try await db.ownerConnection()
        let name = "vigil_t_\(UUID().uuidString.prefix(8).lowercased())"
        let timeouts = LoginProvisioning.Timeouts(statementMs: 12_000, idleInTransactionMs: 34_000)
        _ = try await LoginProvisioning.createLogin(named: name, for: .api, password: nil, timeouts: timeouts, on: owner)
        let stored = try await owner.query("""
            SELECT unnest(s.setconfig) AS setting FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
             WHERE r.rolname = \(name) AND s.setdatabase = 0 ORDER BY 1
            """).map { try $0.decode("setting", as: String.self) }
        #expect(stored == ["idle_in_transaction_session_timeout=34000ms", "statement_timeout=12000ms"])
        try await owner.simpleQuery("DROP ROLE \(name)")
        await owner.close()
        try await db.drop()
    }

    /// The migrator (or any owner member, superuser, BYPASSRLS role) is never turned into a
    /// runtime login: its rights would silently stay, or be taken from the migrations.
    @Test func refusesARoleThatCanBypassRowLevelSecurity() async throws {
        let db = try await MigratedDatabase.create()
        let owner = try await db.ownerConnection()
        let name = "vigil_t_\(UUID().uuidString.prefix(8).lowercased())"
        try await owner.simpleQuery("CREATE ROLE \(name) LOGIN; GRANT vigil_owner TO \(name)")
        await #expect(throws: LoginProvisioning.Refusal.self) {
            try await LoginProvisioning.createLogin(named: name, for: .api, password: nil, on: owner)
        }
        #expect(try await Self.membership(name, on: owner)["owner"] == true, "left as it was")
        await #expect(throws: LoginProvisioning.Refusal.self) {
            try await LoginProvisioning.createLogin(named: "vigil_owner", for: .api, password: nil, on: owner)
        }
        try await owner.simpleQuery("DROP ROLE \(name)")
        await owner.close()
        try await db.drop()
    }
}
