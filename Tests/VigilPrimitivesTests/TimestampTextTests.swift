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

    static let rfc3339Seconds: [(seconds: TimeInterval, text: String)] = [
        (0, "1970-01-01T00:00:00Z"), (-1, "1969-12-31T23:59:59Z"), (-0.5, "1969-12-31T23:59:59Z"), (1.9, "1970-01-01T00:00:01Z"),
        (951_782_400, "2000-02-29T00:00:00Z"), (-62_135_596_800, "0001-01-01T00:00:00Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"), (253_402_300_800, "10000-01-01T00:00:00Z"),
    ]

    /// Whole seconds, rounded down: notifications and compliance documents.
    @Test(arguments: rfc3339Seconds)
    func rfc3339ToTheSecond(_ c: (seconds: TimeInterval, text: String)) {
        #expect(TimestampText.rfc3339(Date(timeIntervalSince1970: c.seconds)) == c.text)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000000Z"),
        (Int64(-1), "1969-12-31T23:59:59.999999Z"),
        (Int64(1_796_014_800_123_456), "2026-11-30T05:00:00.123456Z"),
    ])
    func rfc3339WithMicroseconds(_ micros: Int64, _ expected: String) {
        #expect(TimestampText.rfc3339(microsecondsSince1970: micros) == expected)
    }

    @Test(arguments: [(0, 4, "0000"), (7, 2, "07"), (42, 1, "42"), (12_345, 4, "12345"), (-5, 4, "-0005"),
                      (Int.min, 1, "-9223372036854775808")])
    func decimalPadding(_ value: Int, _ width: Int, _ expected: String) {
        #expect(DecimalText.padded(value, width: width) == expected)
    }

    /// Milliseconds, rounded down: every date of an API answer. Agrees with the date formatter
    /// it replaced on random instants of microsecond precision.
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"), (-0.0005, "1969-12-31T23:59:59.999Z"), (1.2345, "1970-01-01T00:00:01.234Z"),
        (951_782_400.999, "2000-02-29T00:00:00.999Z"), (1_796_014_800.123456, "2026-11-30T05:00:00.123Z"),
    ] as [(TimeInterval, String)])
    func rfc3339Milliseconds(_ seconds: TimeInterval, _ expected: String) {
        #expect(TimestampText.rfc3339Milliseconds(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func millisecondsAgreeWithFoundation() {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let micros = Int64.random(in: 0...4_000_000_000_000_000, using: &generator)
            // A quarter of a millisecond past a whole one: both round down to the same digit. (At an
            // exact millisecond the formatter truncates the binary fraction, 0.568 → .567; this
            // writer gives .568.)
            let date = Date(timeIntervalSince1970: TimeInterval(micros / 1000) / 1000 + 0.00025)
            #expect(TimestampText.rfc3339Milliseconds(date) == date.formatted(style), "\(micros)")
        }
    }
}
