/// How bad an alert is. The order (`info` < … < `critical`) drives channel minimum severities
/// and severity-based routing, so it is explicit rather than left to declaration order.
public enum AlertSeverity: String, Sendable, CaseIterable, Codable, Comparable, Hashable {
    case info, low, medium, high, critical

    /// Accepts the canonical names and `warning` (Alertmanager's and many exporters' word for
    /// `medium`), in any letter case. Surrounding whitespace is not trimmed: `" high"` is a typo
    /// the client should hear about, not something to guess at.
    public init?(parsing text: String) {
        let lowered = text.lowercased()
        if lowered == "warning" {
            self = .medium
        } else if let exact = AlertSeverity(rawValue: lowered) {
            self = exact
        } else {
            return nil
        }
    }

    /// Parses or explains why not, for request validation (400 with the field name).
    public static func validated(_ text: String, field: String = "severity") throws(ValidationFailure) -> AlertSeverity {
        guard let severity = AlertSeverity(parsing: text) else {
            throw ValidationFailure(field: field,
                                    message: "'\(text.prefix(32))' is not a severity (info, low, medium or warning, high, critical)")
        }
        return severity
    }

    /// 0 for `info` up to 4 for `critical`.
    public var rank: Int {
        switch self {
        case .info: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        case .critical: 4
        }
    }

    public static func < (lhs: AlertSeverity, rhs: AlertSeverity) -> Bool { lhs.rank < rhs.rank }

    /// Decoding accepts the same spellings as `init(parsing:)`; encoding always writes the
    /// canonical name, so `warning` never reaches storage.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let severity = AlertSeverity(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "'\(text.prefix(32))' is not a severity"))
        }
        self = severity
    }
}
