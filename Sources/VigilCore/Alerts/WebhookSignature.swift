import Crypto
import Foundation
import VigilPrimitives

/// Signs webhook deliveries so receivers can check they came from Vigil and were not replayed.
///
/// Every delivery carries two headers:
///
///     X-Vigil-Timestamp: 1735689600
///     X-Vigil-Signature: v1=<64 lowercase hex digits>
///
/// The signature is HMAC-SHA256, keyed with the UTF-8 bytes of the channel's secret, over the
/// timestamp in decimal ASCII, one `.`, then the raw body bytes exactly as sent. To verify
/// (shell): `printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET"`, compare in
/// constant time, and reject timestamps more than 5 minutes from your clock. Including the
/// timestamp in the MAC is what makes the replay check meaningful. During a secret rotation
/// the header may hold several comma-separated `v1=` entries; any one matching is enough.
public enum WebhookSignature {
    public static let timestampHeader = "X-Vigil-Timestamp"
    public static let signatureHeader = "X-Vigil-Signature"
    public static let scheme = "v1"
    public static let defaultTolerance: TimeInterval = 300

    public enum Verification: Sendable, Equatable {
        case valid
        case malformedTimestamp
        case timestampOutsideTolerance
        case malformedSignature
        case mismatch
    }

    /// Lowercase hex of the MAC.
    public static func sign(secret: String, timestamp: Int64, body: some DataProtocol) -> String {
        SHA256Hex.hmac(key: Array(secret.utf8), message: message(timestamp: timestamp, body: body))
    }

    /// Both header values, in the order above.
    public static func headers(secret: String, timestamp: Int64, body: some DataProtocol) -> [(name: String, value: String)] {
        [(timestampHeader, String(timestamp)),
         (signatureHeader, "\(scheme)=" + sign(secret: secret, timestamp: timestamp, body: body))]
    }

    /// What a receiver (and our own tests) do with the headers. The MAC comparison is Crypto's
    /// constant-time `isValidAuthenticationCode`, so timing does not leak how much matched.
    public static func verify(secret: String, timestampHeader: String?, signatureHeader: String?,
                              body: some DataProtocol, now: Date,
                              tolerance: TimeInterval = defaultTolerance) -> Verification {
        guard let text = timestampHeader, (1...15).contains(text.utf8.count),
              text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let timestamp = Int64(text) else { return .malformedTimestamp }
        guard abs(now.timeIntervalSince1970 - TimeInterval(timestamp)) <= tolerance else {
            return .timestampOutsideTolerance
        }
        let candidates = (signatureHeader ?? "").split(separator: ",").compactMap { entry -> [UInt8]? in
            let parts = entry.trimmingWhitespace().split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0] == scheme, parts[1].utf8.count == 64 else { return nil }
            return Hex.decode(parts[1])
        }
        guard !candidates.isEmpty else { return .malformedSignature }
        let signed = message(timestamp: timestamp, body: body)
        let matched = candidates.contains {
            HMAC<SHA256>.isValidAuthenticationCode($0, authenticating: signed, using: key(secret))
        }
        return matched ? .valid : .mismatch
    }

    static func message(timestamp: Int64, body: some DataProtocol) -> [UInt8] {
        Array("\(timestamp).".utf8) + Array(body)
    }

    private static func key(_ secret: String) -> SymmetricKey { SymmetricKey(data: Array(secret.utf8)) }
}
