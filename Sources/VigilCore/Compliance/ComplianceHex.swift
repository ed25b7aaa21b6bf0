import Crypto

/// SHA-256 and HMAC helpers shared by the compliance files (checksums, fingerprints, ETags);
/// hex itself is the core's `Hex`.
enum ComplianceHex {
    static func sha256<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Hex.encode(SHA256.hash(data: Array(bytes)))
    }

    /// HMAC-SHA256 keyed with `key`, hex. The salted hash used for fingerprints and erasure pseudonyms:
    /// unlike SHA-256(salt ‖ value) it has no length-extension or concatenation ambiguity.
    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
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
