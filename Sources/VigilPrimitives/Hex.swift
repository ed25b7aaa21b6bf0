/// Lowercase hex, the one encoder for digests, signatures, checksums, ETags, random ids and
/// PostgreSQL's bytea text. Decoding accepts either case.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        append(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends two digits per byte to a buffer being built (bytea's `\x…`, JSON's `\u00xx`).
    public static func append<Bytes: Sequence>(_ bytes: Bytes, to out: inout [UInt8]) where Bytes.Element == UInt8 {
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
    }

    /// Nil unless `text` is an even number of hex digits (either case).
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        decode(utf8: Array(text.utf8))
    }

    /// `decode` over ASCII bytes already at hand.
    public static func decode<Bytes: Collection>(utf8 chars: Bytes) -> [UInt8]? where Bytes.Element == UInt8 {
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = chars.startIndex
        while i != chars.endIndex {
            let next = chars.index(after: i)
            guard let high = nibble(chars[i]), let low = nibble(chars[next]) else { return nil }
            out.append(high << 4 | low)
            i = chars.index(after: next)
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
