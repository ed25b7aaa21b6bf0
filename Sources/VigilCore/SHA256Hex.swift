import Crypto
import Foundation
import VigilPrimitives

/// Lowercase hex SHA-256 and HMAC-SHA256: the one helper for every digest that is stored or
/// shown as text (audit hashes, fingerprints, certificate checksums, migration checksums,
/// payload digests). It lives in the core rather than in `VigilPrimitives` because it needs
/// swift-crypto; hex itself is `Hex`.
public enum SHA256Hex {
    public static func hex(of bytes: some DataProtocol) -> String {
        Hex.encode(SHA256.hash(data: bytes))
    }

    /// Of the string's UTF-8 bytes.
    public static func hex(of text: String) -> String {
        hex(of: Array(text.utf8))
    }

    /// HMAC-SHA256 keyed with `key`. The salted hash used for fingerprints, erasure pseudonyms and
    /// webhook signatures: unlike SHA-256(salt ‖ value) it has no length-extension or
    /// concatenation ambiguity.
    public static func hmac(key: some ContiguousBytes, message: some DataProtocol) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }
}
