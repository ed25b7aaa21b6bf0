import Foundation
import PostgresClient
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ConnectionTests {
    @Test func statementTimeoutCancelsWith57014() async throws {
        try await withTestDatabase { db in
            let connection = try await db.connect(statementTimeout: .milliseconds(200))
            await expectPostgresError(.server, sqlState: "57014") { try await connection.query("SELECT pg_sleep(30)") }
            #expect(!connection.isBroken)
            #expect(try await connection.query("SELECT 1 AS one").count == 1)
            await connection.close()

            try await db.withPool({ $0.statementTimeout = .milliseconds(200) }) { pool in
                await expectPostgresError(.server, sqlState: "57014") { try await pool.query("SELECT pg_sleep(30)") }
            }
        }
    }

    @Test func uriAndKeywordConninfoBothWork() async throws {
        try await withTestDatabase { db in
            let parameters = try PostgresConninfo.parse(db.conninfo)
            let uri = Self.uri(from: parameters)
            #expect(uri.hasPrefix("postgresql://"))
            let keyword = PostgresConninfo.keywordString(parameters)
            #expect(!keyword.hasPrefix("postgresql://"))
            for conninfo in [uri, keyword] {
                let connection = try await PostgresConnection.connect(conninfo: conninfo, logger: testLogger)
                let row = try #require(try await connection.query("SELECT current_database() AS db").first)
                #expect(try row.decode("db", as: String.self) == db.name, "\(conninfo)")
                await connection.close()
            }
        }
    }

    @Test func sessionSetupRunsOnConnect() async throws {
        try await withTestDatabase { db in
            let role = "vigil_role_" + UUID().uuidString.prefix(8).lowercased()
            try await db.withConnection { try await $0.simpleQuery("CREATE ROLE \(role) NOLOGIN") }
            do {
                let connection = try await db.connect(sessionSetup: [
                    "SET ROLE \(role)", "SET application_name = 'vigil-session-test'",
                ])
                let row = try #require(try await connection.query(
                    "SELECT current_user AS who, current_setting('application_name') AS app"
                ).first)
                #expect(try row.decode("who", as: String.self) == role)
                #expect(try row.decode("app", as: String.self) == "vigil-session-test")
                await connection.close()

                // A failing setup statement fails the connect.
                await expectPostgresError(.server, sqlState: "22023") {
                    _ = try await db.connect(sessionSetup: ["SET ROLE no_such_role_anywhere"])
                }
            } catch {
                try? await db.withConnection { try await $0.simpleQuery("DROP ROLE \(role)") }
                throw error
            }
            try await db.withConnection { try await $0.simpleQuery("DROP ROLE \(role)") }
        }
    }

    @Test func sessionDefaultsAndApplicationName() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                let row = try #require(try await connection.query("""
                    SELECT current_setting('TimeZone') AS tz, current_setting('DateStyle') AS style,
                           current_setting('application_name') AS app, current_setting('statement_timeout') AS timeout
                    """).first)
                #expect(try row.decode("tz", as: String.self) == "UTC")
                #expect(try row.decode("style", as: String.self).hasPrefix("ISO"))
                #expect(try row.decode("app", as: String.self) == "vigil")
                #expect(try row.decode("timeout", as: String.self) == "0")
            }
            // The user's own application_name wins over the fallback.
            let custom = try await PostgresConnection.connect(
                conninfo: db.conninfo + " application_name=custom-app", logger: testLogger
            )
            let row = try #require(try await custom.query("SELECT current_setting('application_name') AS app").first)
            #expect(try row.decode("app", as: String.self) == "custom-app")
            await custom.close()
        }
    }

    @Test func connectFailureIsAConnectionErrorWithoutThePassword() async throws {
        let error = await expectPostgresError(.connection) {
            _ = try await PostgresConnection.connect(
                conninfo: "host=/nonexistent-vigil-socket-dir port=1 user=u password=hunter2-secret", logger: testLogger
            )
        }
        #expect(error.map { !"\($0)".contains("hunter2") } == true)
        await expectPostgresError(.connection) {
            _ = try await PostgresConnection.connect(conninfo: "host='unterminated", logger: testLogger)
        }
    }

    @Test func connectTimeoutApplies() async throws {
        // A loopback socket that accepts TCP connections (backlog) but never answers.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 && listen(fd, 8) == 0
            }
        }
        try #require(listening)
        let port = UInt16(bigEndian: address.sin_port)

        let started = ContinuousClock.now
        await expectPostgresError(.connection) {
            _ = try await PostgresConnection.connect(
                conninfo: "host=127.0.0.1 port=\(port) user=nobody dbname=nothing sslmode=disable",
                connectTimeout: .seconds(2), logger: testLogger
            )
        }
        let elapsed = started.duration(to: .now)
        #expect(elapsed >= .seconds(1) && elapsed < .seconds(15), "\(elapsed)")
    }

    @Test func closedConnectionRejectsCalls() async throws {
        try await withTestDatabase { db in
            let connection = try await db.connect()
            #expect(connection.backendPID > 0)
            #expect(!connection.isBroken)
            await connection.close()
            await connection.close()  // idempotent
            #expect(connection.isBroken)
            await expectPostgresError(.connectionClosed) { try await connection.query("SELECT 1") }
        }
    }

    @Test func simpleQueryRunsSeveralStatements() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                try await connection.simpleQuery("""
                    CREATE TABLE m (n int);
                    INSERT INTO m VALUES (1), (2);
                    INSERT INTO m VALUES (3);
                    """)
                let rows = try await connection.query("SELECT n FROM m ORDER BY n")
                #expect(try rows.map { try $0.decode("n", as: Int.self) } == [1, 2, 3])
                #expect(try await connection.execute("UPDATE m SET n = n + 1 WHERE n > \(1)") == 2)
                #expect(try await connection.execute("DELETE FROM m") == 3)
            }
        }
    }

    /// libpq URI form; a unix-socket host goes into the query string.
    static func uri(from parameters: [(key: String, value: String)]) -> String {
        func encode(_ value: String) -> String {
            value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
        }
        let values = Dictionary(parameters.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        var uri = "postgresql://"
        if let user = values["user"] { uri += encode(user) + "@" }
        let host = values["host"]
        if let host, !host.hasPrefix("/") { uri += host }
        if let port = values["port"] { uri += ":\(port)" }
        uri += "/" + encode(values["dbname"] ?? "")
        var query: [String] = []
        if let host, host.hasPrefix("/") { query.append("host=" + encode(host)) }
        for (key, value) in parameters where !["user", "host", "port", "dbname"].contains(key) {
            query.append(key + "=" + encode(value))
        }
        if !query.isEmpty { uri += "?" + query.joined(separator: "&") }
        return uri
    }
}
