/// A JSON value with one deterministic byte rendering: sorted object keys, no insignificant
/// whitespace, minimal string escaping, `/` and non-ASCII written literally. The same value
/// always gives the same bytes on every platform and Foundation release (`JSONEncoder`'s
/// `.sortedKeys` order and escaping differ between Darwin and Linux), so the bytes can be
/// hashed: erasure certificate checksums, report ETags, notification payload digests.
///
/// The default `Style.rfc8785` is RFC 8785 (JCS) canonical JSON for the integer subset, so a
/// document can be re-derived by anyone with a JCS library. Numbers: `int` as written;
/// `number` integral below 2^53 as an integer, otherwise Swift's shortest round-trip form
/// (`0.1`, `1e-05`, which JCS would write `0.00001`), NaN and ±∞ as `null`. Documents that are
/// hashed by others keep to `int`.
public indirect enum CanonicalJSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case number(Double)
    case string(String)
    case array([CanonicalJSON])
    case object([String: CanonicalJSON])

    /// The two renderings in use. They differ only in key order and two escapes, and each is
    /// pinned by stored digests, so neither may change.
    public struct Style: Sendable {
        public enum KeyOrder: Sendable {
            /// RFC 8785 §3.2.3: by UTF-16 code units.
            case utf16
            /// By UTF-8 bytes: Go's and PostgreSQL's `COLLATE "C"` order.
            case utf8
        }

        public var keyOrder: KeyOrder
        /// Also escape U+2028 and U+2029, valid JSON that ends a line in older JavaScript.
        public var escapesLineSeparators: Bool

        public init(keyOrder: KeyOrder, escapesLineSeparators: Bool) {
            self.keyOrder = keyOrder
            self.escapesLineSeparators = escapesLineSeparators
        }

        public static let rfc8785 = Style(keyOrder: .utf16, escapesLineSeparators: false)
    }

    /// The canonical (RFC 8785) bytes.
    public var bytes: [UInt8] { bytes(.rfc8785) }

    public func bytes(_ style: Style) -> [UInt8] {
        var out: [UInt8] = []
        write(to: &out, style: style)
        return out
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public func write(to out: inout [UInt8], style: Style = .rfc8785) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): out.append(contentsOf: String(value).utf8)
        case .number(let value): out.append(contentsOf: Self.numberText(value).utf8)
        case .string(let value): Self.writeString(value, to: &out, style: style)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                value.write(to: &out, style: style)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, key) in Self.sortedKeys(members.keys, style.keyOrder).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(key, to: &out, style: style)
                out.append(UInt8(ascii: ":"))
                members[key]!.write(to: &out, style: style)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    public static func sortedKeys<Keys: Sequence<String>>(_ keys: Keys, _ order: Style.KeyOrder = .utf16) -> [String] {
        switch order {
        case .utf16: keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
        case .utf8: keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
    }

    /// A finite number as written by `.number`; "null" for NaN and ±∞, which JSON cannot express.
    public static func numberText(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return "\(value)"
    }

    /// RFC 8785 §3.2.2.2: escape `"`, `\` and control characters (short forms where JSON has
    /// them, else `\u00xx` lower-case); everything else is literal UTF-8. With
    /// `escapesLineSeparators`, U+2028/U+2029 become `\u2028`/`\u2029`.
    public static func writeString(_ value: String, to out: inout [UInt8], style: Style = .rfc8785) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in  // bytes, not scalars: report exports stream millions of cells through here
            var i = 0
            while i < utf8.count {
                let byte = utf8[i]
                switch byte {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0..<0x20:
                    out.append(contentsOf: #"\u00"#.utf8)
                    Hex.append(CollectionOfOne(byte), to: &out)
                case 0xE2 where style.escapesLineSeparators && i + 2 < utf8.count && utf8[i + 1] == 0x80
                    && (utf8[i + 2] == 0xA8 || utf8[i + 2] == 0xA9):  // U+2028 / U+2029 in UTF-8
                    out.append(contentsOf: (utf8[i + 2] == 0xA8 ? #"\u2028"# : #"\u2029"#).utf8)
                    i += 2
                default: out.append(byte)
                }
                i += 1
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
