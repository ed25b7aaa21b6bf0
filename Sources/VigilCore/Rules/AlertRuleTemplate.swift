import Foundation

/// An annotation of an alert rule with placeholders, rendered per group when the rule fires:
/// `{{ $value }}` (optionally `| humanize`), `{{ $threshold }}`, `{{ $rule }}` and
/// `{{ $labels.<tag> }}` (empty when the group has no such tag). Prometheus' spelling, but no
/// expression language: a placeholder is looked up, never evaluated, so rendering is linear in
/// the text and cannot fail on a stored rule (unknown placeholders are refused when the rule
/// is saved).
public struct AlertRuleTemplate: Sendable, Equatable {
    public enum Piece: Sendable, Equatable {
        case text(String)
        case value(humanized: Bool)
        case threshold
        case rule
        case label(String)
    }

    public struct ParseError: Error, Equatable {
        public var message: String
    }

    public let pieces: [Piece]

    public init(parsing template: String) throws(ParseError) {
        var pieces: [Piece] = []
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { pieces.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw ParseError(message: "a '{{' is not closed by '}}'")
            }
            pieces.append(try Self.placeholder(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        self.pieces = pieces
    }

    private static func placeholder(_ raw: Substring) throws(ParseError) -> Piece {
        let parts = raw.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let name = parts[0]
        let pipe = parts.count > 1 ? parts[1...].joined(separator: "|") : nil
        if name == "$value" {
            switch pipe {
            case nil: return .value(humanized: false)
            case "humanize"?: return .value(humanized: true)
            default: throw ParseError(message: "'\(pipe!.prefix(32))' is not a known function (only humanize)")
            }
        }
        guard pipe == nil else { throw ParseError(message: "only $value takes '| humanize'") }
        switch name {
        case "$threshold": return .threshold
        case "$rule": return .rule
        default:
            if name.hasPrefix("$labels."), case let tag = String(name.dropFirst("$labels.".count)),
               MetricNameRule.check(tag, maxLength: 200, what: "tag") == nil {
                return .label(tag)
            }
            throw ParseError(message: "'{{ \(name.prefix(40)) }}' is not a placeholder ($value, $threshold, $rule, $labels.<tag>)")
        }
    }

    /// The text for one group; `value` nil (no data) renders as "no data".
    public func render(value: Double?, threshold: Double, rule: String, labels: [String: String]) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .value(let humanized): out += value.map { humanized ? Self.humanize($0) : Self.plain($0) } ?? "no data"
            case .threshold: out += Self.plain(threshold)
            case .rule: out += rule
            case .label(let tag): out += labels[tag] ?? ""
            }
        }
        return out
    }

    /// Shortest exact-enough form: integers without ".0", others with up to 6 significant digits.
    public static func plain(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.6g", value)
    }

    /// Prometheus' humanize: SI prefixes (k, M, G, T; m, µ for small values), 4 significant digits.
    public static func humanize(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude == 0 || !value.isFinite { return plain(value) }
        let prefixes: [(Double, String)] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1, ""), (1e-3, "m"), (1e-6, "µ")]
        let (scale, prefix) = prefixes.first { magnitude >= $0.0 } ?? (1e-6, "µ")
        return String(format: "%.4g", value / scale) + prefix
    }
}
