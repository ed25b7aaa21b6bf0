/// timestamptz in PostgreSQL's text input format (`2026-11-30 05:00:00.123456+00`), built with
/// integer arithmetic: COPY of hundreds of thousands of rows per second cannot afford a
/// general date formatter per value.
public enum TimestampText {
    public static func utc(microsecondsSince1970 micros: Int64) -> String {
        var days = micros >= 0 ? micros / 86_400_000_000 : (micros - 86_399_999_999) / 86_400_000_000
        var rest = micros - days * 86_400_000_000
        let hour = rest / 3_600_000_000; rest -= hour * 3_600_000_000
        let minute = rest / 60_000_000; rest -= minute * 60_000_000
        let second = rest / 1_000_000
        let fraction = rest - second * 1_000_000
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)

        var bytes: [UInt8] = []
        bytes.reserveCapacity(29)
        func append(_ value: Int64, digits: Int) {
            var divisor: Int64 = 1
            for _ in 1..<digits { divisor *= 10 }
            var v = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(v / divisor))
                v %= divisor
                divisor /= 10
            }
        }
        append(year, digits: 4); bytes.append(UInt8(ascii: "-"))
        append(month, digits: 2); bytes.append(UInt8(ascii: "-"))
        append(day, digits: 2); bytes.append(UInt8(ascii: " "))
        append(hour, digits: 2); bytes.append(UInt8(ascii: ":"))
        append(minute, digits: 2); bytes.append(UInt8(ascii: ":"))
        append(second, digits: 2); bytes.append(UInt8(ascii: "."))
        append(fraction, digits: 6)
        bytes.append(contentsOf: "+00".utf8)
        return String(decoding: bytes, as: UTF8.self)
    }
}
