import Foundation
import VigilPrimitives

/// Notification payloads and digests are `CanonicalJSON` written in the `.notification` style:
/// keys sorted by their UTF-8 bytes (the order `utf8Precedes` gives, stable across Foundation
/// releases and platforms, unlike `JSONEncoder`'s `.sortedKeys`) and U+2028/U+2029 escaped,
/// so the same input always gives the same bytes, and the same digest in the delivery ledger.
/// Fractional numbers go in `.number`: integral below 2^53 as an integer, otherwise Swift's
/// shortest round-trip form (`0.1`, `1e-05`); NaN and ±∞ as `null`.
extension CanonicalJSON.Style {
    static let notification = CanonicalJSON.Style(keyOrder: .utf8, escapesLineSeparators: true)
}

extension CanonicalJSON {
    /// The bytes of a notification payload or digest.
    var notificationBytes: [UInt8] { bytes(.notification) }

    static func strings(_ dictionary: [String: String]) -> CanonicalJSON {
        .object(dictionary.mapValues { .string($0) })
    }

    static func optional(_ text: String?) -> CanonicalJSON {
        text.map { .string($0) } ?? .null
    }

    static func optional(_ value: Double?) -> CanonicalJSON {
        value.map { .number($0) } ?? .null
    }

    static func time(_ date: Date?) -> CanonicalJSON {
        date.map { .string(NotifyTime.rfc3339($0)) } ?? .null
    }
}

/// Timestamps in notifications: RFC 3339 in UTC to the second, `2025-01-01T00:00:00Z`,
/// computed without formatters (`TimestampText`: no locale, no calendar, no time zone
/// database). Fractions of a second are dropped (rounded down), so 23:59:59.999 never reads as
/// the next minute.
enum NotifyTime {
    /// Go's zero `time.Time` as Alertmanager writes it: "no end" on a firing alert.
    static let alertmanagerZero = "0001-01-01T00:00:00Z"
    /// `alertmanagerZero` as seconds since 1970.
    static let alertmanagerZeroEpoch: TimeInterval = -62_135_596_800

    static func rfc3339(_ date: Date) -> String {
        TimestampText.rfc3339(date)
    }

    static func rfc3339(epochSeconds seconds: Int64) -> String {
        TimestampText.rfc3339(secondsSince1970: seconds)
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
