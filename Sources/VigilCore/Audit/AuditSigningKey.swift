import Crypto
import Foundation

public enum AuditSigningKeyError: Error, Equatable, CustomStringConvertible {
    case malformed(String)

    public var description: String {
        switch self { case .malformed(let why): "VIGIL_AUDIT_SIGNING_KEY \(why)" }
    }
}

/// The worker's Ed25519 key that signs sealed audit segments (`VIGIL_AUDIT_SIGNING_KEY`, the
/// base64 of a 32-byte private key). A public key lets anyone verify a segment offline without
/// being able to forge one, which an HMAC key could not offer: the auditor who checks a
/// segment never holds a secret.
public struct AuditSigningKey: Sendable {
    /// The raw private key (Curve25519.Signing.PrivateKey is not Sendable; one is made per use).
    private let seed: [UInt8]
    /// Base64 of the 32-byte public key, as printed by `vigil audit signing-key` and stored in
    /// every seal.
    public let publicKey: String
    /// The first 16 hex digits of the public key's SHA-256: names the key in seals and logs.
    public let keyID: String

    public init(settingText: String) throws {
        guard let data = Data(base64Encoded: settingText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw AuditSigningKeyError.malformed("is not base64 (generate one with `vigil audit signing-key new`)")
        }
        guard data.count == 32 else {
            throw AuditSigningKeyError.malformed("must be the base64 of 32 bytes, not \(data.count)")
        }
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: data)
        seed = Array(data)
        publicKey = key.publicKey.rawRepresentation.base64EncodedString()
        keyID = Self.keyID(ofPublicKey: key.publicKey.rawRepresentation)
    }

    /// A fresh key, as the setting text that reproduces it.
    public static func generateSettingText() -> String {
        Curve25519.Signing.PrivateKey().rawRepresentation.base64EncodedString()
    }

    public func sign(_ message: [UInt8]) throws -> String {
        try Curve25519.Signing.PrivateKey(rawRepresentation: seed).signature(for: message).base64EncodedString()
    }

    static func keyID(ofPublicKey raw: some DataProtocol) -> String {
        String(SHA256Hex.hex(of: raw).prefix(16))
    }

    /// Whether `signature` (base64) is `publicKey`'s (base64) signature of `message`.
    public static func verify(signature: String, of message: [UInt8], publicKey: String) -> Bool {
        guard let keyData = Data(base64Encoded: publicKey), let signatureData = Data(base64Encoded: signature),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyData) else { return false }
        return key.isValidSignature(signatureData, for: message)
    }
}
