import Foundation
import VigilPrimitives

/// Integrity headers for a report download, from the SHA-256 of the whole file.
///
/// - `Repr-Digest: sha-256=:<base64>:` (RFC 9530, a structured-field dictionary with a byte
///   sequence). It describes the selected representation, so it is the same on 200 and 206.
/// - `Digest: SHA-256=<base64>` (RFC 3230, obsoleted by RFC 9530) for older clients.
public enum ReprDigest {
    /// The `Repr-Digest` value `sha-256=:…:` from the 32 digest bytes; nil for any other length.
    public static func sha256(_ digest: [UInt8]) -> String? {
        guard digest.count == 32 else { return nil }
        return "sha-256=:\(Data(digest).base64EncodedString()):"
    }

    /// From the 64-hex-digit form stored with the report.
    public static func sha256(hex: String) -> String? {
        Hex.decode(hex).flatMap { sha256($0) }
    }

    /// The legacy `Digest` value `SHA-256=…`; nil unless 32 bytes.
    public static func legacyDigest(_ digest: [UInt8]) -> String? {
        guard digest.count == 32 else { return nil }
        return "SHA-256=\(Data(digest).base64EncodedString())"
    }

    public static func legacyDigest(hex: String) -> String? {
        Hex.decode(hex).flatMap { legacyDigest($0) }
    }
}

/// A strong entity tag (RFC 9110 §8.8.3) for a stored report: the quoted hex SHA-256 of its
/// bytes. Report files never change once completed, so the content hash is a perfect validator
/// and `If-Range` / `If-None-Match` work across servers and restarts.
public enum EntityTag {
    /// `"<64 hex>"`; nil unless `sha256Hex` is 64 hex digits.
    public static func strong(sha256Hex: String) -> String? {
        guard sha256Hex.utf8.count == 64, Hex.decode(sha256Hex) != nil else { return nil }
        return "\"\(sha256Hex.lowercased())\""
    }

    public static func strong(sha256: [UInt8]) -> String? {
        sha256.count == 32 ? "\"\(Hex.encode(sha256))\"" : nil
    }

    /// `If-None-Match` evaluation (weak comparison, RFC 9110 §13.1.2): true when the client's
    /// copy is current (answer 304). `*` matches any existing representation.
    public static func ifNoneMatchSatisfied(_ header: String?, current: String) -> Bool {
        guard let header else { return false }
        let opaque = { (tag: Substring) -> Substring in tag.hasPrefix("W/") ? tag.dropFirst(2) : tag }
        for candidate in header.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if candidate == "*" || opaque(Substring(candidate)) == opaque(Substring(current)) { return true }
        }
        return false
    }
}

/// Accumulates length and SHA-256 while a report file is written chunk by chunk, so the
/// download headers are known without reading the file again.
public struct ReportFileDigest {
    private var hasher = SHA256Hasher()
    public private(set) var length: Int64 = 0

    public init() {}

    public mutating func update(_ chunk: [UInt8]) {
        hasher.update(chunk)
        length += Int64(chunk.count)
    }

    /// The finished facts (the accumulator can keep no further state after this).
    public func finalize() -> Facts {
        Facts(length: length, sha256: hasher.finalize())
    }

    public struct Facts: Sendable, Equatable {
        public var length: Int64
        public var sha256: [UInt8]
        public var sha256Hex: String { Hex.encode(sha256) }
        public var etag: String { EntityTag.strong(sha256: sha256)! }
        public var reprDigest: String { ReprDigest.sha256(sha256)! }
        public var legacyDigest: String { ReprDigest.legacyDigest(sha256)! }
    }
}
