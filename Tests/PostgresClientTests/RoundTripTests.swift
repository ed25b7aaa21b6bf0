import Foundation
import PostgresClient
import Testing

/// Values survive Swift -> server -> Swift, and the server saw what we meant (checked with
/// server-side functions, so symmetric encode/decode bugs cannot cancel out).
@Suite struct RoundTripTests {
    @Test func textRoundTrips() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                for value in ["", "plain", "ünïcødé ✓ 🐘", "quote ' and \" and \\ backslash", "tab\tnewline\ncr\r", "NULL", "{a,b}"] {
                    let row = try #require(try await connection.query("SELECT \(value)::text AS v, length(\(value)::text) AS n").first)
                    #expect(try row.decode("v", as: String.self) == value)
                    #expect(try row.decode("n", as: Int.self) == value.count)
                }
            }
        }
    }

    @Test func integersRoundTrip() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                for value in [Int.min, -1, 0, 1, Int.max] {
                    let row = try #require(try await connection.query("SELECT \(value) AS v, \(value)::text AS t").first)
                    #expect(try row.decode("v", as: Int.self) == value)
                    #expect(try row.decode("t", as: String.self) == String(value))
                }
                for value in [Int64.min, 0, Int64.max] {
                    let row = try #require(try await connection.query("SELECT \(value) AS v, pg_typeof(\(value))::text AS type").first)
                    #expect(try row.decode("v", as: Int64.self) == value)
                    #expect(try row.decode("type", as: String.self) == "bigint")
                }
                for value in [Int32.min, 0, Int32.max] {
                    let row = try #require(try await connection.query("SELECT \(value) AS v, pg_typeof(\(value))::text AS type").first)
                    #expect(try row.decode("v", as: Int32.self) == value)
                    #expect(try row.decode("type", as: String.self) == "integer")
                }
            }
        }
    }

    @Test func doublesRoundTripExactly() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                let values: [Double] = [0, -0.0, 0.1, 1.0 / 3.0, -1e300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .infinity, -.infinity]
                for value in values {
                    let row = try #require(try await connection.query("SELECT \(value) AS v").first)
                    let decoded = try row.decode("v", as: Double.self)
                    #expect(decoded.bitPattern == value.bitPattern || (decoded == 0 && value == 0), "\(value) came back as \(decoded)")
                }
                let nan = try #require(try await connection.query("SELECT \(Double.nan) AS v, \(Double.nan) = 'NaN'::float8 AS is_nan").first)
                #expect(try nan.decode("v", as: Double.self).isNaN)
                #expect(try nan.decode("is_nan", as: Bool.self))
            }
        }
    }

    @Test func boolAndUUIDRoundTrip() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                let id = UUID()
                let row = try #require(try await connection.query(
                    "SELECT \(true) AS yes, \(false) AS no, \(id) AS id, \(id)::text = \(id.uuidString.lowercased()) AS same"
                ).first)
                #expect(try row.decode("yes", as: Bool.self) == true)
                #expect(try row.decode("no", as: Bool.self) == false)
                #expect(try row.decode("id", as: UUID.self) == id)
                #expect(try row.decode("same", as: Bool.self))
            }
        }
    }

    @Test func dateRoundTripsWithMicroseconds() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                let micros: Int64 = 1_796_014_800_123_456  // 2026-11-30 05:00:00.123456 UTC
                let date = Date(timeIntervalSince1970: 1_796_014_800.123456)
                let row = try #require(try await connection.query("""
                    SELECT \(date) AS v,
                           \(date)::text AS text,
                           (extract(epoch FROM \(date)) * 1000000)::bigint AS micros
                    """).first)
                #expect(abs(try row.decode("v", as: Date.self).timeIntervalSince(date)) < 0.000_000_5)
                #expect(try row.decode("text", as: String.self) == "2026-11-30 05:00:00.123456+00")
                #expect(try row.decode("micros", as: Int64.self) == micros)

                // Server-produced timestamps (other zones, before 1970) decode to the same instant.
                let server = try #require(try await connection.query("""
                    SELECT '2026-11-30 10:30:00.000001+05:30'::timestamptz AS shifted,
                           '1969-12-31 23:59:59.5+00'::timestamptz AS early
                    """).first)
                #expect(try server.decode("shifted", as: Date.self).postgresBind.text == "2026-11-30T05:00:00.000001Z")
                #expect(try server.decode("early", as: Date.self) == Date(timeIntervalSince1970: -0.5))
            }
        }
    }

    @Test func jsonbRoundTrips() async throws {
        struct Payload: Codable, Equatable {
            var name: String
            var tags: [String]
            var nested: [String: Int]
        }
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                let payload = Payload(name: "disk \"full\" ✓", tags: ["a", "b"], nested: ["x": 1])
                let json = try PostgresJSON(encoding: payload)
                let row = try #require(try await connection.query(
                    "SELECT \(json) AS j, \(json)->>'name' AS name, pg_typeof(\(json))::text AS type"
                ).first)
                #expect(try row.decode("j", as: PostgresJSON.self).decode(Payload.self) == payload)
                #expect(try row.decode("name", as: String.self) == payload.name)
                #expect(try row.decode("type", as: String.self) == "jsonb")
            }
        }
    }

    @Test func byteaRoundTripsEveryByteValue() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                var bytes = Data([0x00, 0x00])
                bytes.append(contentsOf: (0...255).map { UInt8($0) })
                bytes.append(0x00)
                let row = try #require(try await connection.query(
                    "SELECT \(bytes) AS v, length(\(bytes)) AS n, get_byte(\(bytes), 0) AS first"
                ).first)
                #expect(try row.decode("v", as: Data.self) == bytes)
                #expect(try row.decode("n", as: Int.self) == bytes.count)
                #expect(try row.decode("first", as: Int.self) == 0)
                let empty = try #require(try await connection.query("SELECT \(Data()) AS v").first)
                #expect(try empty.decode("v", as: Data.self) == Data())
            }
        }
    }

    @Test func textArrayRoundTripsAwkwardElements() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                let values = [
                    "plain", "with,comma", "with \"quotes\"", "back\\slash", "{braces}", "", "NULL", " spaced ",
                    "tab\tnew\nline", "ünï ✓", "'single'",
                ]
                let row = try #require(try await connection.query("""
                    SELECT \(values) AS v, array_length(\(values), 1) AS n,
                           (\(values))[3] AS third, (\(values))[7] IS NULL AS seventh_is_null
                    """).first)
                #expect(try row.decode("v", as: [String].self) == values)
                #expect(try row.decode("n", as: Int.self) == values.count)
                #expect(try row.decode("third", as: String.self) == "with \"quotes\"")
                #expect(try row.decode("seventh_is_null", as: Bool.self) == false)
                let empty = try #require(try await connection.query("SELECT \([String]()) AS v").first)
                #expect(try empty.decode("v", as: [String].self) == [])
            }
        }
    }

    @Test func allTypesThroughATableIncludingNulls() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                try await connection.simpleQuery("""
                    CREATE TABLE everything (
                        id int PRIMARY KEY, s text, i bigint, i32 integer, d double precision, b boolean,
                        u uuid, ts timestamptz, j jsonb, bin bytea, arr text[]
                    )
                    """)
                let id = UUID()
                let date = Date(timeIntervalSince1970: 1_800_000_000.000001)
                let json = PostgresJSON(raw: #"{"k": [1, 2]}"#)
                let inserted = try await connection.execute("""
                    INSERT INTO everything VALUES
                    (1, \("s"), \(7), \(Int32(8)), \(2.5), \(true), \(id), \(date), \(json), \(Data([0, 1])), \(["x", "y"])),
                    (2, \(String?.none), \(Int?.none), \(Int32?.none), \(Double?.none), \(Bool?.none), \(UUID?.none),
                        \(Date?.none), \(PostgresJSON?.none), \(Data?.none), \([String]?.none))
                    """)
                #expect(inserted == 2)

                let rows = try await connection.query("SELECT * FROM everything ORDER BY id")
                #expect(rows.count == 2)
                let full = rows[0]
                #expect(try full.decode("s", as: String.self) == "s")
                #expect(try full.decode("i", as: Int.self) == 7)
                #expect(try full.decode("i32", as: Int32.self) == 8)
                #expect(try full.decode("d", as: Double.self) == 2.5)
                #expect(try full.decode("b", as: Bool.self))
                #expect(try full.decode("u", as: UUID.self) == id)
                #expect(try full.decode("ts", as: Date.self).postgresBind.text == "2027-01-15T08:00:00.000001Z")
                #expect(try full.decode("j", as: PostgresJSON.self).raw == #"{"k": [1, 2]}"#)
                #expect(try full.decode("bin", as: Data.self) == Data([0, 1]))
                #expect(try full.decode("arr", as: [String].self) == ["x", "y"])

                let empty = rows[1]
                for column in empty.columns where column != "id" {
                    #expect(empty.isNull(column), "\(column)")
                }
                #expect(try empty.decode("s", as: String?.self) == nil)
                #expect(try empty.decode("i", as: Int?.self) == nil)
                #expect(try empty.decode("ts", as: Date?.self) == nil)
                #expect(try full.decode("s", as: String?.self) == "s")
                let error = await expectPostgresError(.decoding) { _ = try empty.decode("i", as: Int.self) }
                #expect(error?.message.contains("NULL") == true)
            }
        }
    }

    @Test func interpolatedInjectionTextIsStoredLiterally() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                try await connection.simpleQuery("CREATE TABLE notes (body text)")
                let evil = "'); DROP TABLE notes; SELECT ('"
                let query: PostgresQuery = "INSERT INTO notes (body) VALUES (\(evil))"
                #expect(!query.sql.contains("DROP"))
                try await connection.execute(query)
                let rows = try await connection.query("SELECT body FROM notes WHERE body = \(evil)")
                #expect(rows.count == 1)
                #expect(try rows.first?.decode("body", as: String.self) == evil)
                // The table still exists and holds exactly that one row.
                let count = try #require(try await connection.query("SELECT count(*) AS n FROM notes").first)
                #expect(try count.decode("n", as: Int.self) == 1)
            }
        }
    }

    @Test func optionalFilterPatternWorksWithNilAndValue() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                try await connection.simpleQuery("CREATE TABLE hosts (name text); INSERT INTO hosts VALUES ('a'), ('b')")
                for (filter, expected) in [(String?.none, 2), ("a", 1)] {
                    let rows = try await connection.query(
                        "SELECT name FROM hosts WHERE (\(filter) IS NULL OR name = \(filter))"
                    )
                    #expect(rows.count == expected)
                }
            }
        }
    }

    @Test func decodingErrorsNameTheProblem() async throws {
        try await withTestDatabase { db in
            try await db.withConnection { connection in
                let row = try #require(try await connection.query("SELECT 'abc' AS word, 1 AS one").first)
                #expect(row.columns == ["word", "one"])
                let missing = await expectPostgresError(.decoding) { _ = try row.decode("nope", as: Int.self) }
                #expect(missing?.message.contains("nope") == true)
                let unparsable = await expectPostgresError(.decoding) { _ = try row.decode("word", as: Int.self) }
                #expect(unparsable?.message.contains("word") == true)
            }
        }
    }
}
