/// A JSON value written deterministically: object keys sorted by their UTF-8 bytes, no
/// insignificant whitespace, `/` not escaped, non-ASCII as UTF-8 (the rules of `NotifyJSON`,
/// plus numbers with fractions). The same digest always gives the same bytes, so its hash in
/// a delivery ledger is stable.
///
/// Numbers: integral values of magnitude below 2^53 are written as integers; others with
/// Swift's shortest round-trip form (`0.1`, `1e-05`), which is valid JSON; NaN and ±∞, which
/// JSON cannot express, become `null`.
enum DigestJSONValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([DigestJSONValue])
    case object([String: DigestJSONValue])

    static func optional(_ value: Double?) -> DigestJSONValue { value.map { .number($0) } ?? .null }
    static func optional(_ value: String?) -> DigestJSONValue { value.map { .string($0) } ?? .null }
    static func int(_ value: Int) -> DigestJSONValue { .number(Double(value)) }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }

    private func write(into out: inout [UInt8]) {
        switch self {
        case .string(let text): NotifyJSON.writeString(text, into: &out)
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
                NotifyJSON.writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                members[key]!.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func numberText(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return "\(value)"
    }
}
