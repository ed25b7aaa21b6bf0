import Crypto
import Foundation

/// Seals short secrets with AES-256-GCM into a self-describing text envelope:
///
///     v1:<key id>:<base64 of nonce (12) + ciphertext + tag (16)>
///
/// The key id says which key of the keyring opens it (rotation). The associated data binds the
/// envelope to where it is stored (workspace, channel, secret name): the same bytes copied to
/// another row fail to open instead of leaking into another tenant's delivery. The version and
/// key id are authenticated too.
public enum SecretBox {
    public static let version = "v1"

    /// Seals under the keyring's primary key.
    public static func seal(_ plaintext: String, keyring: SecretKeyring, associatedData: String) throws -> String {
        try seal(plaintext, keyID: keyring.primaryID, keyring: keyring, associatedData: associatedData)
    }

    public static func seal(_ plaintext: String, keyID: String, keyring: SecretKeyring, associatedData: String) throws -> String {
        let key = try keyring.key(id: keyID)
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: key, authenticating: authenticated(keyID: keyID, associatedData))
        // `combined` is present for the default 12-byte nonce.
        guard let combined = box.combined else { throw SecretBoxError.malformedEnvelope }
        return "\(version):\(keyID):\(combined.base64EncodedString())"
    }

    public static func open(_ envelope: String, keyring: SecretKeyring, associatedData: String) throws -> String {
        guard let (keyID, payload) = parse(envelope) else { throw SecretBoxError.malformedEnvelope }
        let key = try keyring.key(id: keyID)
        do {
            let box = try AES.GCM.SealedBox(combined: payload)
            let plaintext = try AES.GCM.open(box, using: key, authenticating: authenticated(keyID: keyID, associatedData))
            guard let text = String(data: plaintext, encoding: .utf8) else { throw SecretBoxError.authenticationFailed }
            return text
        } catch let error as SecretBoxError {
            throw error
        } catch {
            throw SecretBoxError.authenticationFailed
        }
    }

    /// The key id an envelope names, or nil when it is not an envelope.
    public static func keyID(of envelope: String) -> String? { parse(envelope)?.keyID }

    private static func parse(_ envelope: String) -> (keyID: String, payload: Data)? {
        let parts = envelope.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == version, SecretKeyring.isValidKeyID(String(parts[1])),
              let payload = Data(base64Encoded: String(parts[2])), payload.count >= 12 + 16 else { return nil }
        return (String(parts[1]), payload)
    }

    private static func authenticated(keyID: String, _ associatedData: String) -> Data {
        Data("\(version):\(keyID)|\(associatedData)".utf8)
    }
}
