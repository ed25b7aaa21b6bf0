import PostgresClient
import Testing

/// A transaction's opening travels with its first statement (libpq pipeline mode), and a
/// one-statement transaction carries its COMMIT too: the semantics must be those of sending
/// each statement on its own.
@Suite struct PipelinedTransactionTests {
    struct Boom: Error {}
    static let opening = ["BEGIN", "SELECT set_config('vigil.test', 'opened', true)"]

    @Test func theOpeningRunsBeforeTheFirstStatementInTheSameTransaction() async throws {
        try await withTestDatabase { db in
            try await db.withPool { pool in
                let seen = try await pool.withTransaction(begin: Self.opening) { connection in
                    try #require(try await connection.query("SELECT current_setting('vigil.test') AS v").first)
                }
                #expect(try seen.decode("v", as: String.self) == "opened")
                // The setting was transaction-local and went with it.
                #expect(try await pool.query("SELECT coalesce(current_setting('vigil.test', true), '') AS v").first?.decode("v", as: String.self) == "")
            }
        }
    }

    @Test func anOpeningRunsEvenWhenTheBodyRunsNoStatement() async throws {
        try await withTestDatabase { db in
            try await db.withPool { pool in
                // The opening may be a check (a key's revocation): it must not be skipped.
                await expectPostgresError(.server, sqlState: "22012") {
                    try await pool.withTransaction(begin: ["BEGIN", "SELECT 1 / 0"]) { _ in }
                }
                let after = try await pool.query("SELECT 1 AS one").count
                #expect(after == 1)
            }
        }
    }

    @Test func theOpeningsFailureIsTheTransactionsWhateverTheBodyCaught() async throws {
        try await withTestDatabase { db in
            try await db.withPool { pool in
                try await pool.query("CREATE TABLE events (n int)")
                // The body swallows its first statement's error (which is the opening's) and
                // goes on: the transaction still fails with the opening's error, not with 25P02.
                await expectPostgresError(.server, sqlState: "22012") {
                    try await pool.withTransaction(begin: ["BEGIN", "SELECT 1 / 0"]) { connection in
                        _ = try? await connection.query("INSERT INTO events VALUES (\(1))")
                    }
                }
                await expectPostgresError(.server, sqlState: "22012") {
                    try await pool.withTransaction(begin: ["BEGIN", "SELECT 1 / 0"]) { connection in
                        _ = try? await connection.query("INSERT INTO events VALUES (\(1))")
                        throw Boom()
                    }
                }
                #expect(try await count(pool) == 0)
                #expect(pool.statistics.idle == 1)  // the connection came back clean
            }
        }
    }

    @Test func aCommittingStatementEndsTheTransactionInOneGo() async throws {
        try await withTestDatabase { db in
            try await db.withPool({ $0.maxConnections = 2 }) { pool in
                try await pool.query("CREATE TABLE events (n int)")
                let inserted = try await pool.withTransaction(begin: Self.opening) { connection in
                    try await connection.queryCommitting("INSERT INTO events VALUES (\(1)), (\(2))").affectedRows
                }
                #expect(inserted == 2)
                #expect(try await count(pool) == 2)
            }
        }
    }

    @Test func aStatementAfterTheCommittingOneIsRefusedAndTheCommitStands() async throws {
        try await withTestDatabase { db in
            try await db.withPool { pool in
                try await pool.query("CREATE TABLE events (n int)")
                await expectPostgresError(.server, sqlState: "25000") {
                    try await pool.withTransaction { connection in
                        try await connection.queryCommitting("INSERT INTO events VALUES (\(1))")
                        try await connection.query("INSERT INTO events VALUES (\(2))")
                    }
                }
                #expect(try await count(pool) == 1)
                #expect(pool.statistics.idle == 1)
            }
        }
    }

    @Test func aFailingPipelinedStatementRollsEverythingBackAndLeavesTheConnectionUsable() async throws {
        try await withTestDatabase { db in
            try await db.withPool { pool in
                try await pool.query("CREATE TABLE events (n int)")
                await expectPostgresError(.server, sqlState: "22012") {
                    try await pool.withTransaction(begin: ["BEGIN", "INSERT INTO events VALUES (1)"]) { connection in
                        _ = try await connection.queryCommitting("SELECT 1 / 0")
                    }
                }
                #expect(try await count(pool) == 0)
                // A failure in the opening skips the statement and the COMMIT behind it.
                await expectPostgresError(.server, sqlState: "22012") {
                    try await pool.withTransaction(begin: ["BEGIN", "SELECT 1 / 0"]) { connection in
                        _ = try await connection.queryCommitting("INSERT INTO events VALUES (\(1))")
                    }
                }
                #expect(try await count(pool) == 0)
                #expect(pool.statistics.idle == 1)
                #expect(try await pool.query("SELECT 1 AS one").count == 1)
            }
        }
    }

    /// The server ends the session in the middle of a pipeline (the statement before COMMIT
    /// terminates its own backend): the call fails as a broken connection, nothing commits, and
    /// the pool replaces the connection instead of handing it out again.
    @Test func aConnectionLostMidPipelineCommitsNothingAndIsNotReused() async throws {
        try await withTestDatabase { db in
            try await db.withPool { pool in
                try await pool.query("CREATE TABLE events (n int)")
                let lost = await expectPostgresError(.connection) {
                    try await pool.withTransaction(begin: ["BEGIN", "INSERT INTO events VALUES (1)"]) { connection in
                        _ = try await connection.queryCommitting("SELECT pg_terminate_backend(pg_backend_pid())")
                    }
                }
                #expect(lost != nil)
                #expect(pool.statistics.idle == 0 && pool.statistics.inUse == 0, "the broken connection was dropped")
                #expect(try await count(pool) == 0)
            }
        }
    }

    @Test func copyAndSimpleQueriesCarryTheOpeningToo() async throws {
        try await withTestDatabase { db in
            try await db.withPool { pool in
                try await pool.query("CREATE TABLE events (n int, note text)")
                try await pool.withTransaction(begin: Self.opening) { connection in
                    try await connection.simpleQuery("INSERT INTO events SELECT 1, current_setting('vigil.test')")
                }
                try await pool.withTransaction(begin: Self.opening) { connection in
                    _ = try await connection.copyFrom("COPY events (n, note) FROM STDIN", rows: [["2", nil]])
                    try await connection.execute("UPDATE events SET note = current_setting('vigil.test') WHERE n = \(2)")
                }
                let notes = try await pool.query("SELECT note FROM events ORDER BY n").rows.map { try $0.decode("note", as: String.self) }
                #expect(notes == ["opened", "opened"])
            }
        }
    }

    private func count(_ pool: PostgresPool) async throws -> Int {
        try #require(try await pool.query("SELECT count(*) AS n FROM events").first).decode("n", as: Int.self)
    }
}
