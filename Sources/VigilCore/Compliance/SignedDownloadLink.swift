import Crypto
import Foundation
import VigilPrimitives

/// Short-lived links to download a report without an API key (for handing to a browser).
///
/// Token = base64url( payload ‖ HMAC-SHA256(key, "vigil-report-link-v1" ‖ 0x00 ‖ payload) ), with
/// payload = version byte 1 ‖ workspace uuid (16) ‖ report uuid (16) ‖ expiry (Int64 Unix
/// seconds, big-endian) — 73 bytes, 98 characters, URL-safe, no padding.
///
/// The token is self-contained (no table of links), so it cannot be revoked early: keep
/// lifetimes short (`expiry(now:requested:)` caps them). The key is a server secret used for
/// nothing else (not the pseudonym key, not an API key). Verification recomputes the MAC and
/// compares in constant time before looking at the expiry, so a forged token learns nothing;
/// the download route must still check that the report exists in that workspace and is
/// completed, and audit-log the download (actor `signed_link`).
public enum SignedDownloadLink {
    public static let version: UInt8 = 1
    public static let defaultLifetime: TimeInterval = 15 * 60
    public static let maxLifetime: TimeInterval = 24 * 3600
    /// Shortest accepted key: 128 bits. 32 random bytes are recommended.
    public static let minKeyLength = 16
    static let domain = Array("vigil-report-link-v1".utf8) + [0]
    static let payloadLength = 1 + 16 + 16 + 8
    static let macLength = 32

    public enum KeyError: Error, Equatable {
        case keyTooShort
    }

    public struct Claims: Sendable, Equatable {
        public var workspaceID: UUID
        public var reportID: UUID
        public var expiresAt: Date
    }

    /// The expiry for a link requested at `now` with an optional lifetime in seconds: default
    /// 15 minutes, at least 1 second, at most 24 hours.
    public static func expiry(now: Date, requested: TimeInterval? = nil) -> Date {
        now.addingTimeInterval(min(max(requested ?? defaultLifetime, 1), maxLifetime))
    }

    public static func make(workspaceID: UUID, reportID: UUID, expiresAt: Date, key: [UInt8]) throws(KeyError) -> String {
        guard key.count >= minKeyLength else { throw .keyTooShort }
        var payload: [UInt8] = [version]
        payload += uuidBytes(workspaceID)
        payload += uuidBytes(reportID)
        withUnsafeBytes(of: Int64(floor(expiresAt.timeIntervalSince1970)).bigEndian) { payload.append(contentsOf: $0) }
        return Base64URL.encode(Data(payload + mac(payload, key: key)))
    }

    /// The claims of a genuine, unexpired token; nil for anything else (malformed, wrong key,
    /// tampered, truncated, expired at or before `now`).
    public static func verify(token: String, key: [UInt8], now: Date) -> Claims? {
        guard key.count >= minKeyLength, token.utf8.count <= 200,
              token.utf8.allSatisfy({ PIIChar.isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }),
              let data = Base64URL.decode(token), data.count == payloadLength + macLength else { return nil }
        let bytes = Array(data)
        let payload = Array(bytes[..<payloadLength]), given = Array(bytes[payloadLength...])
        // Compare hex renderings in constant time (ConstantTime works on strings).
        guard ConstantTime.equals(Hex.encode(given), Hex.encode(mac(payload, key: key))),
              payload[0] == version else { return nil }
        let expirySeconds = payload[33..<41].reduce(Int64(0)) { $0 << 8 | Int64($1) }
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(expirySeconds))
        guard now < expiresAt else { return nil }
        return Claims(workspaceID: uuid(payload[1..<17]), reportID: uuid(payload[17..<33]), expiresAt: expiresAt)
    }

    private static func mac(_ payload: [UInt8], key: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: domain + payload, using: SymmetricKey(data: key)))
    }

    private static func uuidBytes(_ id: UUID) -> [UInt8] {
        withUnsafeBytes(of: id.uuid) { Array($0) }
    }

    private static func uuid(_ bytes: ArraySlice<UInt8>) -> UUID {
        let b = Array(bytes)
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}
