/// Why a cron expression was rejected: the field at fault, its text, and a human-readable reason.
public struct CronParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Field: String, Sendable {
        /// The expression as a whole (field count, unknown macro, empty input).
        case expression
        case minute
        case hour
        case dayOfMonth = "day-of-month"
        case month
        case dayOfWeek = "day-of-week"
    }

    public let field: Field
    /// The offending text: the whole field, or the whole expression for `.expression`.
    public let value: String
    public let reason: String

    public init(field: Field, value: String, reason: String) {
        self.field = field
        self.value = value
        self.reason = reason
    }

    /// e.g. `invalid minute field "61": 61 is out of range 0-59`.
    public var message: String {
        field == .expression
            ? "invalid cron expression \"\(value)\": \(reason)"
            : "invalid \(field.rawValue) field \"\(value)\": \(reason)"
    }

    public var description: String { message }
}

extension CronExpression {
    /// A set of small integers (0...63) stored as a bit mask; cheap to copy, compare and scan.
    struct ValueSet: Equatable, Sendable {
        var bits: UInt64 = 0

        func contains(_ value: Int) -> Bool { (0..<64).contains(value) && bits & (1 << UInt64(value)) != 0 }

        mutating func insert(_ value: Int) { bits |= 1 << UInt64(value) }

        mutating func remove(_ value: Int) { bits &= ~(1 << UInt64(value)) }

        /// Smallest member `>= value`.
        func first(atOrAfter value: Int) -> Int? {
            guard value < 64 else { return nil }
            let masked = bits & (~UInt64(0) << UInt64(max(value, 0)))
            return masked == 0 ? nil : masked.trailingZeroBitCount
        }

        /// Largest member `<= value`.
        func last(atOrBefore value: Int) -> Int? {
            guard value >= 0 else { return nil }
            let masked = value >= 63 ? bits : bits & ((1 << UInt64(value + 1)) - 1)
            return masked == 0 ? nil : 63 - masked.leadingZeroBitCount
        }
    }

    /// The grammar of one of the five fields.
    struct FieldSpec: Sendable {
        let field: CronParseError.Field
        /// Literal values accepted (day-of-week accepts 7 as an alias for Sunday).
        let accepted: ClosedRange<Int>
        /// What `*` and an open-ended `a/n` run over.
        let span: ClosedRange<Int>
        /// Upper-case three-letter names.
        let names: [String: Int]

        static let minute = FieldSpec(field: .minute, accepted: 0...59, span: 0...59, names: [:])
        static let hour = FieldSpec(field: .hour, accepted: 0...23, span: 0...23, names: [:])
        static let dayOfMonth = FieldSpec(field: .dayOfMonth, accepted: 1...31, span: 1...31, names: [:])
        static let month = FieldSpec(
            field: .month, accepted: 1...12, span: 1...12,
            names: ["JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
                    "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12])
        static let dayOfWeek = FieldSpec(
            field: .dayOfWeek, accepted: 0...7, span: 0...6,
            names: ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6])

        /// Parses a comma-separated list of `*`, `v`, `a-b`, each optionally with `/step`.
        /// Returns the matching values and whether the field starts with `*` — Vixie cron keys
        /// both its day-of-month/day-of-week OR rule and its DST handling off that first character.
        func parse(_ text: Substring) throws(CronParseError) -> (values: ValueSet, wildcard: Bool) {
            var set = ValueSet()
            for element in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard !element.isEmpty else { throw failure(text, "empty list element") }
                let parts = element.split(separator: "/", omittingEmptySubsequences: false)
                guard parts.count <= 2 else { throw failure(text, "\"\(element)\" has more than one step") }

                var step = 1
                if parts.count == 2 {
                    guard let parsed = Self.number(parts[1]) else {
                        throw failure(text, "step \"\(parts[1])\" is not a number")
                    }
                    // A step longer than the field's span is almost certainly a mistake ("*/90" minutes).
                    guard (1...span.count).contains(parsed) else {
                        throw failure(text, "step \(parsed) must be between 1 and \(span.count)")
                    }
                    step = parsed
                }

                let lower: Int, upper: Int
                if parts[0] == "*" {
                    (lower, upper) = (span.lowerBound, span.upperBound)
                } else {
                    let ends = parts[0].split(separator: "-", omittingEmptySubsequences: false)
                    guard ends.count <= 2 else { throw failure(text, "\"\(parts[0])\" is not a value or a range") }
                    lower = try value(ends[0], in: text)
                    if ends.count == 2 {
                        upper = try value(ends[1], in: text)
                        guard lower <= upper else { throw failure(text, "range \"\(parts[0])\" is reversed") }
                    } else {
                        // "a/n" means a, a+n, ... up to the end of the field; a bare "a" is just a.
                        upper = parts.count == 2 ? max(lower, span.upperBound) : lower
                    }
                }
                for v in stride(from: lower, through: upper, by: step) { set.insert(v) }
            }
            if field == .dayOfWeek, set.contains(7) {  // 7 is Sunday too
                set.remove(7)
                set.insert(0)
            }
            return (set, text.first == "*")
        }

        private func value(_ token: Substring, in text: Substring) throws(CronParseError) -> Int {
            guard !token.isEmpty else { throw failure(text, "missing value") }
            if let number = Self.number(token) {
                guard accepted.contains(number) else {
                    throw failure(text, "\(number) is out of range \(accepted.lowerBound)-\(accepted.upperBound)")
                }
                return number
            }
            if let named = names[token.uppercased()] { return named }
            throw failure(text, "\"\(token)\" is not a valid \(field.rawValue)")
        }

        /// Plain ASCII decimal digits only (`Int("+5")` would accept a sign); at most 9 digits.
        private static func number(_ token: Substring) -> Int? {
            guard (1...9).contains(token.utf8.count), token.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
            return Int(token)
        }

        private func failure(_ text: Substring, _ reason: String) -> CronParseError {
            CronParseError(field: field, value: String(text), reason: reason)
        }
    }
}
