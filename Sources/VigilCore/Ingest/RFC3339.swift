import Foundation
import VigilPrimitives

/// Strict RFC 3339 `date-time` parsing without formatters (they are slow and locale-laden).
///
/// Accepted: `YYYY-MM-DD(T|t)HH:MM:SS[.fraction](Z|z|±HH:MM)`, fraction of 1–9 digits
/// (nanoseconds; more is rejected), `-00:00` meaning UTC. Ranges are checked: month 1–12,
/// day within the month (Gregorian leap years), hour 0–23, minute 0–59, offset hour 0–23.
///
/// Leap seconds: `:60` is accepted only where one can occur (23:59:60 UTC after applying the
/// offset) and is read as 23:59:59.999999 UTC, so it sorts before the next minute and a client
/// is never rejected for an NTP-correct clock. Anywhere else, second 60 is an error.
public enum RFC3339 {
    public static func parse(_ text: some StringProtocol) -> Date? {
        var text = String(text)
        return text.withUTF8 { parse(bytes: $0) }
    }

    public static func parse(_ bytes: ArraySlice<UInt8>) -> Date? {
        bytes.withUnsafeBufferPointer { parse(bytes: $0) }
    }

    /// The core: works on the exact bytes of the string value, with no copy.
    static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Date? {
        // Fixed layout up to the seconds: "YYYY-MM-DDTHH:MM:SS" (19 bytes).
        guard b.count >= 20,
              b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] | 0x20 == UInt8(ascii: "t"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let year = number(b, 0, 4), let month = number(b, 5, 2), let day = number(b, 8, 2),
              let hour = number(b, 11, 2), let minute = number(b, 14, 2), let second = number(b, 17, 2),
              (1...12).contains(month), (1...CivilDate.daysIn(year: year, month: month)).contains(day),
              hour <= 23, minute <= 59, second <= 60
        else { return nil }

        var i = 19
        var nanos = 0
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let first = i
            while i < b.count, b[i] &- UInt8(ascii: "0") < 10 {
                guard i - first < 9 else { return nil }  // finer than nanoseconds
                nanos = nanos * 10 + Int(b[i] - UInt8(ascii: "0"))
                i += 1
            }
            guard i > first else { return nil }
            for _ in (i - first)..<9 { nanos *= 10 }
        }

        // Offset: Z/z, or ±HH:MM (local time = UTC + offset, so subtract it).
        var offsetSeconds = 0
        guard i < b.count else { return nil }
        if b[i] | 0x20 == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard b.count - i >= 6, b[i + 3] == UInt8(ascii: ":"),
                  let oh = number(b, i + 1, 2), let om = number(b, i + 4, 2), oh <= 23, om <= 59
            else { return nil }
            offsetSeconds = (oh * 60 + om) * 60 * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }

        let minuteStart = CivilDate.dayNumber(year: year, month: month, day: day) * 86_400
            + hour * 3_600 + minute * 60 - offsetSeconds
        if second == 60 {
            // Leap seconds are only ever inserted as the last second of a UTC day.
            guard minuteStart.modulo(86_400) == 86_340 else { return nil }
            return date(seconds: minuteStart + 59, fraction: 0.999_999)
        }
        return date(seconds: minuteStart + second, fraction: Double(nanos) / 1e9)
    }

    /// Builds the Date relative to its own reference (2001) so the fraction keeps full precision.
    private static func date(seconds sinceEpoch: Int, fraction: Double) -> Date {
        Date(timeIntervalSinceReferenceDate: Double(sinceEpoch - 978_307_200) + fraction)
    }

    /// `count` ASCII digits at `start` as an Int, or nil if any byte isn't a digit.
    private static func number(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        var v = 0
        for k in start..<(start + count) {
            let d = b[k] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }
}

private extension Int {
    /// Mathematical modulo (non-negative for a positive divisor), unlike `%`.
    func modulo(_ m: Int) -> Int { let r = self % m; return r < 0 ? r + m : r }
}
