import Crypto

/// Lower-case hex and SHA-256 helpers shared by the compliance files (checksums, fingerprints,
/// ETags). Kept local to this feature so it does not depend on another feature's private helper.
enum ComplianceHex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Nil unless `text` is an even number of hex digits (either case).
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let high = nibble(chars[i]), let low = nibble(chars[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }

    static func sha256<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        encode(SHA256.hash(data: Array(bytes)))
    }

    /// HMAC-SHA256 keyed with `key`, hex. The salted hash used for fingerprints and erasure pseudonyms:
    /// unlike SHA-256(salt ‖ value) it has no length-extension or concatenation ambiguity.
    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> String {
        encode(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
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

extension Array where Element == UInt8 {
    /// Appends `field` length-prefixed (4-byte big-endian length, then UTF-8), so a sequence of
    /// fields hashes unambiguously: ("ab", "c") and ("a", "bc") give different bytes.
    mutating func appendLengthPrefixed(_ field: String) {
        let utf8 = Array(field.utf8)
        Swift.withUnsafeBytes(of: UInt32(utf8.count).bigEndian) { append(contentsOf: $0) }
        append(contentsOf: utf8)
    }
}
