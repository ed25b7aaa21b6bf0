/// One condition on an alert's labels, with Alertmanager's semantics, for silences, inhibit
/// rules and routes:
/// - a missing label is the empty string, so `foo=""` matches alerts without `foo` and
///   `foo!=""` requires it;
/// - regexes are fully anchored, as Alertmanager's `^(?:re)$`: `=~"high"` does not match
///   `"highest"`;
/// - `=` compares UTF-8 bytes (Go's string equality), not Swift's canonical equivalence.
///
/// Invalid matchers are rejected when built, never when matched, so a stored silence always
/// works.
public struct LabelMatcher: Sendable, Hashable, CustomStringConvertible {
    public enum Operator: String, Sendable, CaseIterable, Codable, Hashable {
        case equal = "="
        case notEqual = "!="
        case regexMatch = "=~"
        case regexNoMatch = "!~"

        public var isRegex: Bool { self == .regexMatch || self == .regexNoMatch }
    }

    public static let maxNameBytes = 200
    public static let maxValueBytes = 1024

    public let name: String
    public let op: Operator
    public let value: String
    private let regex: LabelRegex?

    /// `field` names the request field in the failure (e.g. `matchers[2]`).
    public init(name: String, op: Operator, value: String, field: String = "matchers") throws(ValidationFailure) {
        guard Self.isValidName(name) else {
            throw ValidationFailure(field: field,
                                    message: "'\(name.prefix(64))' is not a label name (1-\(Self.maxNameBytes) characters of A-Z a-z 0-9 _ . : -)")
        }
        guard value.utf8.count <= Self.maxValueBytes else {
            throw ValidationFailure(field: field, message: "matcher value for '\(name)' is longer than \(Self.maxValueBytes) bytes")
        }
        self.name = name
        self.op = op
        self.value = value
        regex = op.isRegex ? try LabelRegexCache.regex(for: value, field: field) : nil
    }

    /// Whether `labels` satisfy this matcher; an absent label counts as `""`.
    public func matches(_ labels: [String: String]) -> Bool {
        matches(value: labels[name] ?? "")
    }

    public func matches(value candidate: String) -> Bool {
        switch op {
        case .equal: candidate.utf8.elementsEqual(value.utf8)
        case .notEqual: !candidate.utf8.elementsEqual(value.utf8)
        case .regexMatch: regex!.wholeMatches(candidate)
        case .regexNoMatch: !regex!.wholeMatches(candidate)
        }
    }

    /// `name op "value"`, with `\`, `"` and newlines escaped: `LabelMatcher.parse` reads it back.
    public var description: String {
        // Matchers escape like Prometheus label values (the syntax Alertmanager shares).
        "\(name)\(op.rawValue)\"\(PrometheusExposition.escapeLabelValue(value))\""
    }

    public static func == (lhs: LabelMatcher, rhs: LabelMatcher) -> Bool {
        lhs.name == rhs.name && lhs.op == rhs.op && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(op)
        hasher.combine(value)
    }

    /// The tag-name alphabet Vigil uses elsewhere (a superset of Prometheus label names, so
    /// every Alertmanager label is accepted).
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= maxNameBytes && name.utf8.allSatisfy(isNameByte)
    }

    static func isNameByte(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."),
             UInt8(ascii: ":"), UInt8(ascii: "-"): true
        default: false
        }
    }
}

extension LabelMatcher: Codable {
    enum CodingKeys: String, CodingKey { case name, op, value }

    /// Decoding validates like `init`, so a corrupted stored row fails loudly.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(name: c.decode(String.self, forKey: .name),
                      op: c.decode(Operator.self, forKey: .op),
                      value: c.decode(String.self, forKey: .value))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(op, forKey: .op)
        try c.encode(value, forKey: .value)
    }
}
