import Crypto
import Foundation

/// The operator's keys for sealing secrets at rest (`VIGIL_SECRETS_KEY`).
///
/// Several keys, each with an id, so keys can rotate without a flag day: the first key seals,
/// every key opens. Rotation is "prepend the new key, reseal, later drop the old one".
public struct SecretKeyring: Sendable {
    /// The id of the key new envelopes are sealed under.
    public let primaryID: String
    /// Every key id, primary first (ids only; the key bytes never leave this type).
    public let keyIDs: [String]
    /// Raw key bytes (SymmetricKey is not Sendable); a SymmetricKey is made per use.
    private let keys: [String: [UInt8]]

    /// The id a bare key (no `id:` prefix) gets, so `VIGIL_SECRETS_KEY=<base64>` works.
    public static let defaultKeyID = "k0"
    public static let keyByteCount = 32

    /// `keys` in priority order: the first seals. Ids are 1-32 of `[A-Za-z0-9_-]`, unique.
    public init(keys: [(id: String, bytes: [UInt8])]) throws {
        guard let first = keys.first else { throw SecretBoxError.malformedKeySetting("no key given") }
        var table: [String: [UInt8]] = [:]
        for (id, bytes) in keys {
            guard Self.isValidKeyID(id) else {
                throw SecretBoxError.malformedKeySetting("key id '\(id.prefix(40))' must be 1-32 letters, digits, '-' or '_'")
            }
            guard bytes.count == Self.keyByteCount else {
                throw SecretBoxError.malformedKeySetting("key '\(id)' must be \(Self.keyByteCount) bytes (base64 of 32 random bytes)")
            }
            guard table[id] == nil else { throw SecretBoxError.malformedKeySetting("key id '\(id)' appears twice") }
            table[id] = bytes
        }
        primaryID = first.id
        keyIDs = keys.map(\.id)
        self.keys = table
    }

    /// Parses `k2:<base64>,k1:<base64>` (or one bare `<base64>`, id `k0`). Error messages name
    /// the key id or position, never the key material.
    public init(settingText: String) throws {
        var parsed: [(id: String, bytes: [UInt8])] = []
        for (index, item) in settingText.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let entry = item.trimmingCharacters(in: .whitespaces)
            let parts = entry.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let id = parts.count == 2 ? String(parts[0]) : Self.defaultKeyID
            let encoded = String(parts.count == 2 ? parts[1] : parts[0])
            guard let data = Data(base64Encoded: encoded) else {
                throw SecretBoxError.malformedKeySetting("entry \(index + 1) is not id:base64 (generate a key with `openssl rand -base64 32`)")
            }
            parsed.append((id, Array(data)))
        }
        try self.init(keys: parsed)
    }

    /// A fresh random key, as the setting text that reproduces it (for `vigil dev`).
    public static func generateSettingText(id: String = defaultKeyID) -> String {
        let key = SymmetricKey(size: .bits256)
        let encoded = key.withUnsafeBytes { Data($0).base64EncodedString() }
        return "\(id):\(encoded)"
    }

    func key(id: String) throws -> SymmetricKey {
        guard let bytes = keys[id] else { throw SecretBoxError.unknownKeyID(id) }
        return SymmetricKey(data: bytes)
    }

    static func isValidKeyID(_ id: String) -> Bool {
        (1...32).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}
