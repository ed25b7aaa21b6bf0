import Foundation
import Testing
@testable import VigilCore

struct RFC3339Tests {
    static let base = Ingest.nov30  // 2026-11-30T05:00:00Z

    @Test(arguments: [
        ("2026-11-30T05:00:00Z", base, 0), ("2026-11-30t05:00:00z", base, 0),
        ("2026-11-30T05:00:00.1Z", base, 100_000_000), ("2026-11-30T05:00:00.123Z", base, 123_000_000),
        ("2026-11-30T05:00:00.123456Z", base, 123_456_000), ("2026-11-30T05:00:00.123456789Z", base, 123_456_789),
        ("2026-11-30T05:00:00.000000001Z", base, 1),
        ("2026-11-30T06:00:00+01:00", base, 0), ("2026-11-30T00:30:00-04:30", base, 0),
        ("2026-11-30T05:00:00+00:00", base, 0), ("2026-11-30T05:00:00-00:00", base, 0),
        ("2026-12-01T04:59:00+23:59", base, 0),
        ("1970-01-01T00:00:00Z", 0, 0), ("1969-12-31T23:59:59Z", -1, 0), ("0000-01-01T00:00:00Z", -62_167_219_200, 0),
        ("9999-12-31T23:59:59Z", 253_402_300_799, 0), ("2000-02-29T00:00:00Z", 951_782_400, 0),
        ("2024-02-29T12:00:00Z", 1_709_208_000, 0), ("2026-12-31T23:59:59.5Z", 1_798_761_599, 500_000_000),
        // Leap second: only where one can occur, read as 23:59:59.999999 UTC.
        ("2016-12-31T23:59:60Z", 1_483_228_799, 999_999_000), ("2017-01-01T00:59:60+01:00", 1_483_228_799, 999_999_000),
        ("2016-12-31T18:59:60.5-05:00", 1_483_228_799, 999_999_000),
    ] as [(String, Int, Int)])
    func valid(_ text: String, _ seconds: Int, _ nanos: Int) throws {
        let date = try #require(RFC3339.parse(text))
        let expected = Ingest.date(seconds, nanos: nanos)
        #expect(abs(date.timeIntervalSince(expected)) < 1e-6, "\(text): \(date)")
        #expect(RFC3339.parse(ArraySlice(text.utf8)) == date)
    }

    @Test(arguments: [
        "", "2026-11-30", "2026-11-30T05:00:00", "2026-11-30T05:00Z", "2026-11-30 05:00:00Z", "2026-11-30_05:00:00Z",
        "26-11-30T05:00:00Z", "+2026-11-30T05:00:00Z", "2026-1-30T05:00:00Z", "2026/11/30T05:00:00Z",
        "2026-00-10T05:00:00Z", "2026-13-10T05:00:00Z", "2026-11-00T05:00:00Z", "2026-11-31T05:00:00Z",
        "2026-02-29T05:00:00Z", "1900-02-29T05:00:00Z", "2026-04-31T00:00:00Z", "2026-11-30T24:00:00Z",
        "2026-11-30T05:60:00Z", "2026-11-30T05:00:61Z", "2026-11-30T05:00:60Z", "2016-12-31T22:59:60Z",
        "2016-12-31T23:59:60+01:00", "2026-11-30T05:00:00.Z", "2026-11-30T05:00:00.1234567890Z",
        "2026-11-30T05:00:00,5Z", "2026-11-30T05:00:00+0100", "2026-11-30T05:00:00+01", "2026-11-30T05:00:00+24:00",
        "2026-11-30T05:00:00+01:60", "2026-11-30T05:00:00ZZ", "2026-11-30T05:00:00Z ", " 2026-11-30T05:00:00Z",
        "2026-11-30T05:00:00UTC", "2026-11-30T05:00:00.5", "2026-11-30T05:00:00z+01:00", "2026-11-3OT05:00:00Z",
        "２０２６-11-30T05:00:00Z", "2026-11-30T05:00:00\u{0}",
    ])
    func invalid(_ text: String) {
        #expect(RFC3339.parse(text) == nil, "\(text)")
    }

    /// Cross-check against Foundation's ISO8601DateFormatter over many random instants
    /// (at millisecond precision, the finest that formatter handles).
    @Test func matchesISO8601DateFormatter() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var rng = Ingest.SplitMix(state: 3)
        for _ in 0..<2_000 {
            let millis = Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &rng)
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            let offsetMinutes = Int.random(in: -14 * 60...14 * 60, using: &rng) / 15 * 15
            formatter.timeZone = TimeZone(secondsFromGMT: offsetMinutes * 60)
            let text = formatter.string(from: date)
            guard let parsed = RFC3339.parse(text) else { Issue.record("rejected \(text)"); continue }
            #expect(abs(parsed.timeIntervalSince(date)) < 1e-6, "\(text)")
            if let foundation = formatter.date(from: text) {
                #expect(abs(parsed.timeIntervalSince(foundation)) < 1e-6, "\(text)")
            }
        }
    }
}
