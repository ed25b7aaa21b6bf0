import Foundation

/// A JSON value written deterministically: object keys sorted by their UTF-8 bytes (the
/// order `utf8Precedes` gives, stable across Foundation releases and platforms, unlike
/// `JSONEncoder`'s `.sortedKeys`), no insignificant whitespace, `/` not escaped, non-ASCII
/// written as UTF-8. So the same input always gives the same bytes, and the same digest in
/// the delivery ledger.
///
/// Numbers: `int` as written; `number` integral below 2^53 as an integer, otherwise Swift's
/// shortest round-trip form (`0.1`, `1e-05`); NaN and ±∞, which JSON cannot express, as `null`.
enum NotifyJSON: Sendable, Equatable {
    case string(String)
    case int(Int)
    case number(Double)
    case bool(Bool)
    case null
    case array([NotifyJSON])
    case object([String: NotifyJSON])

    static func strings(_ dictionary: [String: String]) -> NotifyJSON {
        .object(dictionary.mapValues { .string($0) })
    }

    static func optional(_ text: String?) -> NotifyJSON {
        text.map { .string($0) } ?? .null
    }

    static func optional(_ value: Double?) -> NotifyJSON {
        value.map { .number($0) } ?? .null
    }

    static func numberText(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return "\(value)"
    }

    static func time(_ date: Date?) -> NotifyJSON {
        date.map { .string(NotifyTime.rfc3339($0)) } ?? .null
    }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }

    private func write(into out: inout [UInt8]) {
        switch self {
        case .string(let text): Self.writeString(text, into: &out)
        case .int(let number): out += Array(String(number).utf8)
        case .number(let value): out += Array(Self.numberText(value).utf8)
        case .bool(let flag): out += Array((flag ? "true" : "false").utf8)
        case .null: out += Array("null".utf8)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, key) in members.keys.sorted(by: utf8Precedes).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                members[key]!.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// RFC 8259 escaping: `"`, `\` and control characters (short forms where they exist),
    /// plus U+2028/U+2029, which are valid JSON but end a line in older JavaScript. Shared with
    /// the digest's JSON writer.
    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += Array(#"\""#.utf8)
            case "\\": out += Array(#"\\"#.utf8)
            case "\n": out += Array(#"\n"#.utf8)
            case "\r": out += Array(#"\r"#.utf8)
            case "\t": out += Array(#"\t"#.utf8)
            case "\u{08}": out += Array(#"\b"#.utf8)
            case "\u{0C}": out += Array(#"\f"#.utf8)
            case "\u{2028}": out += Array(#"\u2028"#.utf8)
            case "\u{2029}": out += Array(#"\u2029"#.utf8)
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                } else {
                    out += Array(String(scalar).utf8)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// Timestamps in notifications: RFC 3339 in UTC to the second, `2025-01-01T00:00:00Z`,
/// computed without formatters (no locale, no calendar, no time zone database). Fractions of
/// a second are dropped (rounded down), so 23:59:59.999 never reads as the next minute.
enum NotifyTime {
    /// Go's zero `time.Time` as Alertmanager writes it: "no end" on a firing alert.
    static let alertmanagerZero = "0001-01-01T00:00:00Z"
    /// `alertmanagerZero` as seconds since 1970.
    static let alertmanagerZeroEpoch: TimeInterval = -62_135_596_800

    static func rfc3339(_ date: Date) -> String {
        rfc3339(epochSeconds: Int64(date.timeIntervalSince1970.rounded(.down)))
    }

    static func rfc3339(epochSeconds seconds: Int64) -> String {
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
            + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay % 3600 / 60, 2) + ":" + pad(secondOfDay % 60, 2) + "Z"
    }

    /// An incoming RFC 3339 timestamp (with or without a fraction, any offset). The empty
    /// string and Go's zero time (or anything before it) mean "none"; anything else that does
    /// not parse is `.invalid`.
    enum Parsed: Equatable {
        case none
        case date(Date)
        case invalid
    }

    static func parseIncoming(_ text: String) -> Parsed {
        if text.isEmpty { return .none }
        guard let date = RFC3339.parse(text) else { return .invalid }
        return date.timeIntervalSince1970 <= alertmanagerZeroEpoch ? .none : .date(date)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Howard Hinnant's `civil_from_days`: proleptic Gregorian date of a day count since 1970.
    private static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(abs(value))
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Text helpers shared by the renderers.
enum NotifyText {
    /// At most `max` Unicode scalars; when cut, the last kept one is `…`. Scalars (code points)
    /// are what PostgreSQL's `char_length` and most receivers' limits count.
    static func truncated(_ text: String, maxScalars max: Int) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > max else { return text }
        guard max > 0 else { return "" }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars.prefix(max - 1))
        out.append("…")
        return String(out)
    }

    /// One line: every control character (CR, LF, tab, …) and the Unicode line/paragraph
    /// separators become a space. For mail subjects, where a newline would inject a header.
    static func singleLine(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let isBreak = scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar == "\u{2028}" || scalar == "\u{2029}"
            out.append(isBreak ? " " : scalar)
        }
        return String(out)
    }

    /// HTML text and double- or single-quoted attribute values.
    static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Slack's required escaping for any text it may parse as mrkdwn: `&`, `<`, `>`. Without
    /// it an alert titled `<!channel>` would ping the whole channel.
    static func slack(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The link when it is an absolute `http(s)` URL without whitespace or control characters,
    /// else nil: a `javascript:` link from a tenant must never become clickable.
    static func safeLink(_ link: String?) -> String? {
        guard let link, !link.isEmpty, link.unicodeScalars.count <= 2048 else { return nil }
        let lowered = link.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else { return nil }
        guard !link.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0.properties.isWhitespace })
        else { return nil }
        return link
    }

    /// `CRITICAL`, `HIGH`, …
    static func severityTag(_ severity: AlertSeverity) -> String { severity.rawValue.uppercased() }

    /// `Triggered`, `Acknowledged`, …
    static func eventTitle(_ event: NotificationEvent) -> String {
        event.rawValue.prefix(1).uppercased() + event.rawValue.dropFirst()
    }

    /// Labels as `key=value` lines, keys in byte order.
    static func sortedPairs(_ dictionary: [String: String]) -> [(key: String, value: String)] {
        dictionary.keys.sorted(by: utf8Precedes).map { ($0, dictionary[$0]!) }
    }
}
