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
        if let decoded = chars.withContiguousStorageIfAvailable({ decode(contiguous: $0) }) { return decoded }
        return Array(chars).withUnsafeBufferPointer { decode(contiguous: $0) }
    }

    /// The one loop every decode runs: over contiguous memory, with no generic indexing (this
    /// decodes every bytea a query returns, e.g. the sketches a stats query merges).
    public static func decode(contiguous chars: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard chars.count % 2 == 0 else { return nil }
        let count = chars.count / 2
        var valid = true
        let out = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count {
                guard let high = nibble(chars[2 * index]), let low = nibble(chars[2 * index + 1]) else {
                    valid = false
                    break
                }
                buffer[index] = high << 4 | low
                initialized = index + 1
            }
        }
        return valid ? out : nil
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
