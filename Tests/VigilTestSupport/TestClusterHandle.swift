import Foundation
import Logging
import PostgresClient

/// Access to the shared test server: its admin conninfo and per-test databases.
public struct TestClusterHandle: Sendable {
    /// Superuser, database "postgres".
    public var adminConninfo: String
    /// A few admin connections shared by all tests for CREATE / DROP DATABASE.
    private let admin: PostgresPool

    init(adminConninfo: String, logger: Logger) {
        self.adminConninfo = adminConninfo
        var configuration = PostgresPoolConfiguration(conninfo: adminConninfo)
        configuration.maxConnections = 4
        // Many tests may queue here at once while databases are being copied.
        configuration.acquireTimeout = .seconds(300)
        configuration.statementTimeout = nil
        self.admin = PostgresPool(configuration: configuration, logger: logger)
    }

    /// Same server and user as `adminConninfo`, another database (keyword/value form).
    public func conninfo(database: String) -> String {
        (try? PostgresConninfo.settingDatabase(database, in: adminConninfo))
            ?? "\(adminConninfo) dbname='\(database)'"
    }

    /// `CREATE DATABASE test_<random> [TEMPLATE template]`; returns the new name.
    ///
    /// Retries for a while on 55006 (template still has sessions): callers close their
    /// template connections first, but the server notices closed sessions asynchronously.
    public func createDatabase(template: String? = nil) async throws -> String {
        let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased()
        var sql = "CREATE DATABASE \(Self.quoteIdentifier(name))"
        if let template { sql += " TEMPLATE \(Self.quoteIdentifier(template))" }
        let deadline = ContinuousClock.now + .seconds(15)
        while true {
            do {
                try await admin.withConnection { try await $0.simpleQuery(sql) }
                return name
            } catch let error as PostgresError where error.sqlState == "55006" && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Drops the database, disconnecting any sessions still using it.
    public func dropDatabase(_ name: String) async throws {
        try await admin.withConnection {
            try await $0.simpleQuery("DROP DATABASE IF EXISTS \(Self.quoteIdentifier(name)) WITH (FORCE)")
        }
    }

    /// Creates a database, runs `body` with its name, and drops it afterwards (also on error).
    public nonisolated(nonsending) func withDatabase<T>(
        template: String? = nil,
        _ body: (String) async throws -> T
    ) async throws -> T {
        let name = try await createDatabase(template: template)
        let value: T
        do {
            value = try await body(name)
        } catch {
            try? await dropDatabase(name)
            throw error
        }
        try await dropDatabase(name)
        return value
    }

    func checkConnection() async throws {
        try await admin.query("SELECT 1")
    }

    static func quoteIdentifier(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
