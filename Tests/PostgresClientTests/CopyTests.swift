import PostgresClient
import Testing

@Suite struct CopyTests {
    @Test func copyRoundTripsAwkwardValuesAndNulls() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                try await connection.simpleQuery("CREATE TABLE samples (id int, a text, b text)")
                let rows: [[String?]] = [
                    ["1", "tab\there", "new\nline"],
                    ["2", "back\\slash", "carriage\rreturn"],
                    ["3", nil, ""],
                    ["4", "\\N", "literal backslash-N, not NULL"],
                    ["5", "\\.", "end-of-data marker lookalike"],
                    ["6", "ünï ✓ 🐘", "\t\n\\\r"],
                ]
                let copied = try await connection.copyFrom("COPY samples (id, a, b) FROM STDIN", rows: rows)
                #expect(copied == rows.count)
                let stored = try await connection.query("SELECT id, a, b FROM samples ORDER BY id")
                #expect(stored.count == rows.count)
                for (row, expected) in zip(stored, rows) {
                    #expect(try row.decode("id", as: String.self) == expected[0])
                    #expect(try row.decode("a", as: String?.self) == expected[1])
                    #expect(try row.decode("b", as: String?.self) == expected[2])
                }
            }
        }
    }

    @Test func largeCopyIsSentInChunks() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                try await connection.simpleQuery("CREATE TABLE bulk (id int, payload text)")
                let payload = String(repeating: "x\t", count: 100)
                let rows: [[String?]] = (0..<5000).map { [String($0), payload] }  // ~1 MB: many 64 KiB chunks
                #expect(try await connection.copyFrom("COPY bulk FROM STDIN", rows: rows) == 5000)
                let summary = try #require(try await connection.query(
                    "SELECT count(*) AS n, sum(id) AS total, bool_and(payload = \(payload)) AS intact FROM bulk"
                ).first)
                #expect(try summary.decode("n", as: Int.self) == 5000)
                #expect(try summary.decode("total", as: Int.self) == (0..<5000).reduce(0, +))
                #expect(try summary.decode("intact", as: Bool.self))
            }
        }
    }

    @Test func badValueFailsWholeCopyWithSQLState() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                try await connection.simpleQuery("CREATE TABLE numbers (n int)")
                try await connection.execute("INSERT INTO numbers VALUES (\(100))")
                // The bad row comes after enough good data to have been sent in earlier chunks.
                var rows: [[String?]] = (0..<20000).map { [String($0)] }
                rows.append(["not a number"])
                let error = await expectPostgresError(.server, sqlState: "22P02") {
                    _ = try await connection.copyFrom("COPY numbers FROM STDIN", rows: rows)
                }
                #expect(error?.message.contains("not a number") == true)
                let count = try #require(try await connection.query("SELECT count(*) AS n FROM numbers").first)
                #expect(try count.decode("n", as: Int.self) == 1)
                #expect(!connection.isBroken)
            }
        }
    }

    @Test func copyIntoMissingTableFailsCleanly() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                await expectPostgresError(.server, sqlState: "42P01") {
                    _ = try await connection.copyFrom("COPY nowhere FROM STDIN", rows: [["1"]])
                }
                await expectPostgresError(.copy) {
                    _ = try await connection.copyFrom("SELECT 1", rows: [])
                }
                let stillUsable = try await connection.query("SELECT 1 AS one")
                #expect(stillUsable.count == 1)
            }
        }
    }

    @Test func copyStatementThroughQueryIsRejectedWithoutBreakingTheConnection() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                try await connection.simpleQuery("CREATE TABLE t (n int)")
                await expectPostgresError(.copy) { try await connection.query("COPY t FROM STDIN") }
                await expectPostgresError(.copy) { try await connection.query("COPY (SELECT 1) TO STDOUT") }
                #expect(!connection.isBroken)
                #expect(try await connection.query("SELECT count(*) AS n FROM t").first?.decode("n", as: Int.self) == 0)
            }
        }
    }
}
