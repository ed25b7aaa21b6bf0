import PostgresClient
import Testing

@Suite struct TransactionTests {
    struct Boom: Error {}

    @Test func thrownErrorRollsBackAndIsRethrown() async throws {
        try await withTestDatabase { db in
            try await db.withPool { pool in
                try await pool.query("CREATE TABLE events (n int)")
                await #expect(throws: Boom.self) {
                    try await pool.withTransaction { connection in
                        try await connection.execute("INSERT INTO events VALUES (\(1))")
                        throw Boom()
                    }
                }
                #expect(try await count(pool) == 0)
                // The connection went back to the pool in a clean state.
                #expect(pool.statistics.idle == 1)
                #expect(try await pool.query("SELECT 1 AS one").count == 1)
            }
        }
    }

    @Test func successCommitsAndReturnsTheValue() async throws {
        try await withTestDatabase { db in
            try await db.withPool { pool in
                try await pool.query("CREATE TABLE events (n int)")
                let inserted = try await pool.withTransaction { connection in
                    try await connection.execute("INSERT INTO events VALUES (\(1)), (\(2))")
                }
                #expect(inserted == 2)
                #expect(try await count(pool) == 2)
            }
        }
    }

    @Test func changesAreInvisibleToOthersUntilCommit() async throws {
        try await withTestDatabase { db in
            try await db.withPool({ $0.maxConnections = 2 }) { pool in
                try await pool.query("CREATE TABLE events (n int)")
                try await pool.withTransaction { connection in
                    try await connection.execute("INSERT INTO events VALUES (\(1))")
                    // Another pooled connection does not see the uncommitted row.
                    #expect(try await count(pool) == 0)
                }
                #expect(try await count(pool) == 1)
            }
        }
    }

    @Test func swallowedServerErrorIsNotSilentlyCommitted() async throws {
        try await withTestDatabase { db in
            try await db.withPool { pool in
                try await pool.query("CREATE TABLE events (n int)")
                await expectPostgresError(.server, sqlState: "25P02") {
                    try await pool.withTransaction { connection in
                        try await connection.execute("INSERT INTO events VALUES (\(1))")
                        _ = try? await connection.query("SELECT 1 / 0")
                    }
                }
                #expect(try await count(pool) == 0)
                #expect(try await pool.query("SELECT 1 AS one").count == 1)
            }
        }
    }

    private func count(_ pool: PostgresPool) async throws -> Int {
        try #require(try await pool.query("SELECT count(*) AS n FROM events").first).decode("n", as: Int.self)
    }
}
