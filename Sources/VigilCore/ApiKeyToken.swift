import Crypto
import Foundation

/// The wire form of an API key: `vgl_<workspace id, 32 hex>_<secret, 43 base64url chars>`.
///
/// The workspace id travels in the key so the server can confine the key lookup to that
/// workspace under row-level security (no cross-tenant lookup is ever needed), and can answer
/// 404 — not 401 — when a valid key is used on another workspace's path.
public struct ApiKeyToken: Sendable, Equatable {
    public static let scheme = "vgl"
    public let workspaceID: UUID
    public let secret: String

    public init(workspaceID: UUID, secret: String) {
        self.workspaceID = workspaceID
        self.secret = secret
    }

    /// A new key with 256 bits of randomness from the system CSPRNG.
    public static func generate(workspaceID: UUID) -> ApiKeyToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return ApiKeyToken(workspaceID: workspaceID, secret: Base64URL.encode(Data(bytes)))
    }

    public var stringValue: String {
        "\(Self.scheme)_\(workspaceID.uuidString.lowercased().replacingOccurrences(of: "-", with: ""))_\(secret)"
    }

    /// The first characters of the secret, shown in listings to recognise a key.
    public var prefix: String { "\(Self.scheme)_…\(secret.prefix(8))" }

    /// SHA-256 of the whole key. Keys are high-entropy, so a fast hash is enough (no need
    /// for a password KDF), and lookups go by hash, which gives no timing oracle on the secret.
    public var hash: Data { Data(SHA256.hash(data: Data(stringValue.utf8))) }

    /// Parses a presented key; nil when it is not of our shape (never throws details to callers).
    public init?(parsing raw: String) {
        let parts = raw.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Self.scheme, parts[1].count == 32, !parts[2].isEmpty,
              parts[2].count <= 128,
              let id = UUID(compactHex: String(parts[1])),
              parts[2].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        self.init(workspaceID: id, secret: String(parts[2]))
    }
}

extension UUID {
    /// Parses 32 hex digits without dashes.
    init?(compactHex hex: String) {
        guard hex.count == 32, hex.allSatisfy(\.isHexDigit) else { return nil }
        let h = Array(hex)
        let dashed = "\(String(h[0..<8]))-\(String(h[8..<12]))-\(String(h[12..<16]))-\(String(h[16..<20]))-\(String(h[20..<32]))"
        self.init(uuidString: dashed)
    }
}

public enum Base64URL {
    public static func encode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ string: String) -> Data? {
        var s = string.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}
