import Foundation
import VigilPrimitives

/// `Date` maps to `timestamptz`.
///
/// Encoding is RFC 3339 in UTC with microseconds (PostgreSQL's resolution). Decoding parses the
/// ISO output that every connection gets because it sets `DateStyle=ISO` and `TimeZone=UTC` at
/// connect (e.g. `2026-11-30 05:00:00.123456+00`), and also accepts any explicit offset,
/// a `T` separator, `Z`, and no offset at all (plain `timestamp`, read as UTC).
/// `infinity` and BC dates are rejected with a decoding error.
extension Date: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind {
        PostgresBind(text: PostgresTimestamp.format(self), typeOID: Self.postgresTypeOID)
    }

    public static var postgresTypeOID: UInt32 { PostgresOID.timestamptz }

    public init(postgresText: String) throws {
        guard let date = PostgresTimestamp.parse(postgresText) else {
            throw PostgresError.decoding("cannot decode '\(postgresText)' as Date (timestamptz)")
        }
        self = date
    }
}

/// Calendar arithmetic done by hand (`CivilDate`, `TimestampText`): Foundation's formatters stop
/// at milliseconds and are slow.
enum PostgresTimestamp {
    /// 2001-01-01 (Date's reference date) in microseconds since 1970. Converting through the
    /// reference date avoids a lossy floating-point subtraction: Date stores a Double of
    /// seconds since 2001, exact to the microsecond for roughly 1933-2069.
    static let referenceDateMicros: Int64 = 978_307_200_000_000

    /// Microseconds since 1970, rounded to the nearest microsecond.
    static func unixMicros(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSinceReferenceDate * 1_000_000).rounded()) + referenceDateMicros
    }

    static func date(unixMicros: Int64) -> Date {
        Date(timeIntervalSinceReferenceDate: Double(unixMicros - referenceDateMicros) / 1_000_000)
    }

    static func format(_ date: Date) -> String {
        TimestampText.rfc3339(microsecondsSince1970: unixMicros(date))
    }

    static func parse(_ text: String) -> Date? {
        var scanner = Scanner(Array(text.utf8))
        guard let year = scanner.number(maxDigits: 6), year >= 1,
              scanner.skip("-"), let month = scanner.number(digits: 2), (1...12).contains(month),
              scanner.skip("-"), let day = scanner.number(digits: 2), (1...31).contains(day),
              scanner.skip(" ") || scanner.skip("T"),
              let hour = scanner.number(digits: 2), hour <= 24,
              scanner.skip(":"), let minute = scanner.number(digits: 2), minute < 60,
              scanner.skip(":"), let second = scanner.number(digits: 2), second <= 60
        else { return nil }

        var micros: Int64 = 0
        if scanner.skip(".") {
            var digits = 0
            while let digit = scanner.digit() {
                // PostgreSQL never prints more than 6 fractional digits; ignore any extra.
                if digits < 6 { micros = micros * 10 + digit }
                digits += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }

        var offsetSeconds: Int64 = 0
        if scanner.skip("Z") {
            // UTC
        } else if let sign: Int64 = scanner.skip("+") ? 1 : (scanner.skip("-") ? -1 : nil) {
            guard let offsetHours = scanner.number(digits: 2) else { return nil }
            var offset = offsetHours * 3600
            if scanner.skip(":") || scanner.peekDigit {
                guard let offsetMinutes = scanner.number(digits: 2) else { return nil }
                offset += offsetMinutes * 60
                if scanner.skip(":") || scanner.peekDigit {
                    guard let offsetSecs = scanner.number(digits: 2) else { return nil }
                    offset += offsetSecs
                }
            }
            offsetSeconds = sign * offset
        }
        guard scanner.atEnd else { return nil }  // e.g. " BC"

        let days = Int64(CivilDate.dayNumber(year: Int(year), month: Int(month), day: Int(day)))
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return date(unixMicros: seconds * 1_000_000 + micros)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }
        var peekDigit: Bool { index < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        mutating func digit() -> Int64? {
            guard peekDigit else { return nil }
            defer { index += 1 }
            return Int64(bytes[index] - UInt8(ascii: "0"))
        }

        mutating func number(digits: Int) -> Int64? {
            var value: Int64 = 0
            for _ in 0..<digits {
                guard let d = digit() else { return nil }
                value = value * 10 + d
            }
            return value
        }

        /// At least one digit, at most `maxDigits` (years can exceed 4 digits).
        mutating func number(maxDigits: Int) -> Int64? {
            guard let first = digit() else { return nil }
            var value = first
            var count = 1
            while count < maxDigits, let d = digit() {
                value = value * 10 + d
                count += 1
            }
            return value
        }
    }
}
