import Logging
import PostgresClient
import Testing

/// Server errors carry SQLSTATE and diagnostics, and leave the connection usable.
@Suite struct ServerErrorTests {
    @Test func uniqueViolationCarriesConstraintAndDetail() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                try await connection.simpleQuery("CREATE TABLE hosts (name text CONSTRAINT hosts_name_key UNIQUE)")
                try await connection.execute("INSERT INTO hosts VALUES (\("web-1"))")
                let error = await expectPostgresError(.server, sqlState: "23505") {
                    try await connection.execute("INSERT INTO hosts VALUES (\("web-1"))")
                }
                #expect(error?.constraint == "hosts_name_key")
                #expect(error?.detail?.contains("(name)=(web-1)") == true)
                #expect(error?.message.contains("duplicate key") == true)
                #expect(!connection.isBroken)
                #expect(try await connection.query("SELECT 1 AS one").first?.decode("one", as: Int.self) == 1)
            }
        }
    }

    @Test func syntaxErrorIs42601() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                await expectPostgresError(.server, sqlState: "42601") { try await connection.query("SELEC 1") }
                await expectPostgresError(.server, sqlState: "42601") { try await connection.simpleQuery("SELECT 1; SELEC 2") }
                #expect(!connection.isBroken)
            }
        }
    }

    @Test func divisionByZeroIs22012WithHintlessMessage() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                let error = await expectPostgresError(.server, sqlState: "22012") {
                    try await connection.query("SELECT \(1) / \(0) AS boom")
                }
                #expect(error?.message == "division by zero")
            }
        }
    }

    @Test func hintIsReported() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                let error = await expectPostgresError(.server, sqlState: "P0001") {
                    try await connection.simpleQuery("DO $$ BEGIN RAISE EXCEPTION 'custom' USING HINT = 'try again', DETAIL = 'more'; END $$")
                }
                #expect(error?.hint == "try again")
                #expect(error?.detail == "more")
            }
        }
    }

    @Test func serverNoticesGoToTheLoggerAtDebug() async throws {
        try await withTestDatabase { db in
            let handler = RecordingLogHandler()
            let logger = Logger(label: "notice-test") { _ in handler }
            let connection = try await db.connect(logger: logger)
            try await connection.simpleQuery("DO $$ BEGIN RAISE NOTICE 'hello %', 42; END $$")
            await connection.close()
            let notices = handler.messages.filter { $0.message.contains("hello 42") }
            #expect(notices.count == 1)
            #expect(notices.first?.level == .debug)
        }
    }
}
