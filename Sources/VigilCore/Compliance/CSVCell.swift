/// One CSV cell, and the RFC 4180 + CSV-injection escaping applied to it.
///
/// Escaping decision (documented in NOTES.md):
/// - `.text` is always neutralised: a cell whose first character is `=`, `+`, `-`, `@`, TAB or CR
///   gets a leading `'` (OWASP "CSV Injection"). That includes text that merely looks like a
///   negative number (`"-5"` → `'-5`): stored data is attacker-influenced (tag values, alert
///   messages), and `-2+3+cmd|' /C calc'!A0` also starts with a digit-like `-`, so text cells are
///   never trusted to be numbers.
/// - `.integer` is emitted raw (`-5`): it comes from a Swift `Int64` that the report itself
///   computed (counts, days, ids), so it cannot carry a formula, and spreadsheets should see a
///   number. Use it only for values Vigil computed, never for stored strings.
/// Then RFC 4180: a field containing `,`, `"`, CR or LF is wrapped in double quotes with inner
/// quotes doubled.
public enum CSVCell: Sendable, Hashable {
    case text(String)
    case integer(Int64)

    /// The field as it appears in the file (escaped and, if needed, quoted).
    public var encoded: String {
        switch self {
        case .integer(let value): String(value)
        case .text(let value): CSVEscaping.field(value)
        }
    }
}

extension CSVCell: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

public enum CSVEscaping {
    /// First characters that make a spreadsheet treat a cell as a formula (OWASP list).
    static let formulaTriggers: Set<UInt8> = [
        UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D,
    ]

    /// Whether `value` would be interpreted as a formula and so needs the `'` prefix.
    public static func needsFormulaGuard(_ value: String) -> Bool {
        guard let first = value.utf8.first else { return false }
        return formulaTriggers.contains(first)
    }

    /// Neutralises formulas, then applies RFC 4180 quoting.
    public static func field(_ value: String) -> String {
        let guarded = needsFormulaGuard(value) ? "'" + value : value
        return quoted(guarded)
    }

    /// RFC 4180 §2.6–2.7: quote when the field contains a comma, quote, CR or LF; double inner quotes.
    public static func quoted(_ value: String) -> String {
        let needsQuotes = value.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
