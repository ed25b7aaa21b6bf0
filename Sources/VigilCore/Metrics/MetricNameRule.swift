/// The shared rule for metric names and tag keys: 1…max characters from `[A-Za-z0-9_.:-]`.
/// ASCII only, so names are the same in URLs, SQL data, logs and (after sanitizing) Prometheus.
enum MetricNameRule {
    struct Problem {
        var tooLong: Bool
        var message: String
    }

    @inline(__always)
    static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// nil when `name` is valid; otherwise the first problem found.
    static func check(_ name: String, maxLength: Int, what: String) -> Problem? {
        if name.isEmpty {
            return Problem(tooLong: false, message: "\(what) must not be empty")
        }
        // Characters first: once all are ASCII, the UTF-8 count is the character count.
        if let bad = name.unicodeScalars.first(where: { !$0.isASCII || !isAllowed(UInt8($0.value)) }) {
            let code = "U+" + String(bad.value, radix: 16, uppercase: true).leftPadded(to: 4)
            return Problem(tooLong: false,
                           message: "\(what) contains '\(bad.escaped(asASCII: true))' (\(code)); allowed are A-Z a-z 0-9 _ . : -")
        }
        if name.utf8.count > maxLength {
            return Problem(tooLong: true, message: "\(what) is longer than \(maxLength) characters")
        }
        return nil
    }

    /// A name short enough to quote in a field path or message (user input can be huge).
    static func excerpt(_ text: String, limit: Int = 64) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
