import Foundation
import Testing

@testable import PostgresClient

/// Encoding/decoding rules that need no server.
@Suite struct CodingUnitTests {
    @Test func dateFormatsAsRFC3339WithMicrosecondsInUTC() {
        #expect(Date(timeIntervalSince1970: 0).postgresBind == PostgresBind(text: "1970-01-01T00:00:00.000000Z", typeOID: 1184))
        let date = PostgresTimestamp.date(unixMicros: 1_796_014_800_123_456)
        #expect(date.postgresBind.text == "2026-11-30T05:00:00.123456Z")
        #expect(Date(timeIntervalSince1970: 1_796_014_800.123456).postgresBind.text == "2026-11-30T05:00:00.123456Z")
        #expect(Date(timeIntervalSince1970: -0.5).postgresBind.text == "1969-12-31T23:59:59.500000Z")
    }

    @Test(arguments: [
        ("2026-11-30 05:00:00.123456+00", 1_796_014_800_123_456 as Int64),
        ("2026-11-30 05:00:00+00", 1_796_014_800_000_000),
        ("2026-11-30 05:00:00.5+00", 1_796_014_800_500_000),
        ("2026-11-30 10:30:00.000001+05:30", 1_796_014_800_000_001),
        ("2026-11-29 21:00:00-08", 1_796_014_800_000_000),
        ("2026-11-30T05:00:00.123456Z", 1_796_014_800_123_456),
        ("2026-11-30 05:00:00", 1_796_014_800_000_000),
        ("1969-12-31 23:59:59.5+00", -500_000),
        ("2000-02-29 00:00:00+00", 951_782_400_000_000),
        ("0001-01-01 00:00:00+00", -62_135_596_800_000_000),
    ])
    func dateParsesPostgresOutput(text: String, micros: Int64) throws {
        let date = try Date(postgresText: text)
        #expect(PostgresTimestamp.unixMicros(date) == micros)
    }

    @Test(arguments: ["infinity", "-infinity", "2026-11-30 05:00:00+00 BC", "2026-13-01 00:00:00+00", "yesterday", ""])
    func dateRejectsUnsupportedText(text: String) {
        #expect(throws: PostgresError.self) { try Date(postgresText: text) }
    }

    @Test func dateFormatAndParseAgreeAcrossCenturies() throws {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            // Years ~1935-2065 at microsecond resolution: Date (a Double of seconds since 2001)
            // is exact to the microsecond only within about ±68 years of 2001.
            let micros = Int64(generator.next() % 4_100_000_000_000_000) - 1_100_000_000_000_000
            let date = PostgresTimestamp.date(unixMicros: micros)
            let parsed = try Date(postgresText: date.postgresBind.text!)
            #expect(parsed == date)
            #expect(PostgresTimestamp.unixMicros(parsed) == micros)
        }
        for _ in 0..<2000 {
            // Years 1-9999 at whole seconds.
            let seconds = Int64(generator.next() % 315_537_897_600) - 62_135_596_800
            let date = PostgresTimestamp.date(unixMicros: seconds * 1_000_000)
            let parsed = try Date(postgresText: date.postgresBind.text!)
            #expect(PostgresTimestamp.unixMicros(parsed) == seconds * 1_000_000)
        }
    }

    @Test func textArrayLiteralQuotesEveryElement() {
        let values = ["plain", "with,comma", "with \"quotes\"", "back\\slash", "{braces}", "", "NULL", " spaced "]
        #expect(values.postgresBind == PostgresBind(
            text: #"{"plain","with,comma","with \"quotes\"","back\\slash","{braces}","","NULL"," spaced "}"#,
            typeOID: 1009
        ))
        #expect([String]().postgresBind.text == "{}")
    }

    @Test func textArrayParsesArrayOutput() throws {
        #expect(try [String](postgresText: "{}") == [])
        #expect(try [String](postgresText: #"{a,"b c","with \"q\"","back\\slash",""}"#) == ["a", "b c", "with \"q\"", "back\\slash", ""])
        #expect(try [String](postgresText: "[0:1]={x,y}") == ["x", "y"])
        #expect(throws: PostgresError.self) { try [String](postgresText: "{a,NULL}") }
        #expect(throws: PostgresError.self) { try [String](postgresText: "{{a},{b}}") }
        #expect(throws: PostgresError.self) { try [String](postgresText: #"{"unterminated}"#) }
    }

    @Test func byteaUsesHexFormat() throws {
        #expect(Data([0x00, 0x01, 0xab, 0xff]).postgresBind == PostgresBind(text: "\\x0001abff", typeOID: 17))
        #expect(try Data(postgresText: "\\x0001ABff") == Data([0x00, 0x01, 0xab, 0xff]))
        #expect(try Data(postgresText: "\\x") == Data())
        #expect(throws: PostgresError.self) { try Data(postgresText: "\\x0") }
        #expect(throws: PostgresError.self) { try Data(postgresText: "\\xzz") }
        #expect(throws: PostgresError.self) { try Data(postgresText: "plain") }
    }

    @Test func scalarsDecodeTheirTextForms() throws {
        #expect(try Bool(postgresText: "t") == true)
        #expect(try Bool(postgresText: "f") == false)
        #expect(throws: PostgresError.self) { try Bool(postgresText: "yes") }
        #expect(try Double(postgresText: "Infinity") == .infinity)
        #expect(try Double(postgresText: "-Infinity") == -.infinity)
        #expect(try Double(postgresText: "NaN").isNaN)
        #expect(try Double(postgresText: "1e-05") == 0.00001)
        #expect(Double.infinity.postgresBind.text == "Infinity")
        #expect(throws: PostgresError.self) { try Int(postgresText: "12abc") }
        #expect(throws: PostgresError.self) { try Int32(postgresText: "2147483648") }
        #expect(throws: PostgresError.self) { try UUID(postgresText: "not-a-uuid") }
    }

    @Test func interpolationBindsValuesAndNeverSplicesThem() {
        let name = "x'); DROP TABLE hosts; --"
        let missing: Int? = nil
        let query: PostgresQuery = "SELECT * FROM \(unescaped: "hosts") WHERE name = \(name) AND n = \(42) OR m = \(missing)"
        #expect(query.sql == "SELECT * FROM hosts WHERE name = $1 AND n = $2 OR m = $3")
        #expect(query.binds == [
            PostgresBind(text: name, typeOID: 25),
            PostgresBind(text: "42", typeOID: 20),
            PostgresBind(text: nil, typeOID: 20),
        ])
        #expect(!query.description.contains("DROP"))
    }

    @Test func conninfoParsingAndDatabaseReplacement() throws {
        let keyword = try PostgresConninfo.parse(#"host=/tmp/sock port=5433 user=postgres dbname=a password='it\'s'"#)
        let keywordValues = Dictionary(uniqueKeysWithValues: keyword.map { ($0.key, $0.value) })
        #expect(keywordValues == ["host": "/tmp/sock", "port": "5433", "user": "postgres", "dbname": "a", "password": "it's"])
        let reformatted = try PostgresConninfo.parse(PostgresConninfo.keywordString(keyword))
        #expect(reformatted.map(\.key) == keyword.map(\.key))
        #expect(reformatted.map(\.value) == keyword.map(\.value))
        let replaced = try PostgresConninfo.settingDatabase("other db", in: "postgresql://u:p%40ss@localhost:5433/first?sslmode=disable")
        let parsed = Dictionary(uniqueKeysWithValues: try PostgresConninfo.parse(replaced).map { ($0.key, $0.value) })
        #expect(parsed == ["user": "u", "password": "p@ss", "host": "localhost", "port": "5433", "dbname": "other db", "sslmode": "disable"])
        #expect(throws: PostgresError.self) { try PostgresConninfo.parse("host='unterminated") }
    }
}

/// Deterministic pseudo-random numbers, so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
