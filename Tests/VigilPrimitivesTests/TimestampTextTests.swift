import Foundation
import Testing
import VigilPrimitives

/// The integer-arithmetic timestamp formatter used for bulk inserts must agree with a general
/// formatter everywhere, leap years and pre-epoch instants included.
struct TimestampTextTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01 00:00:00.000000+00"),
        (Int64(-1), "1969-12-31 23:59:59.999999+00"),
        (Int64(951_782_400_000_000), "2000-02-29 00:00:00.000000+00"),
        (Int64(1_796_014_800_123_456), "2026-11-30 05:00:00.123456+00"),
        (Int64(253_402_300_799_999_999), "9999-12-31 23:59:59.999999+00"),
    ])
    func knownInstants(_ micros: Int64, _ expected: String) {
        #expect(TimestampText.utc(microsecondsSince1970: micros) == expected)
    }

    @Test func agreesWithFoundationOnRandomInstants() {
        var formatter = Date.ISO8601FormatStyle(dateSeparator: .dash, dateTimeSeparator: .space, timeZone: .gmt)
        formatter = formatter.year().month().day().time(includingFractionalSeconds: false)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let seconds = Int64.random(in: -2_000_000_000...4_000_000_000, using: &generator)
            let text = TimestampText.utc(microsecondsSince1970: seconds * 1_000_000)
            let reference = Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(formatter)
            #expect(text == reference.replacingOccurrences(of: "Z", with: "") + ".000000+00", "\(seconds)")
        }
    }
}
