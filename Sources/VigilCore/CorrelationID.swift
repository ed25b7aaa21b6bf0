import Foundation
import VigilPrimitives

/// Picks the correlation id of a request: the caller's `X-Correlation-ID`, else
/// `X-Request-ID`, else the trace id of a W3C `traceparent`, else a new one. Caller-supplied
/// ids are accepted only when short and plain, so they are safe to echo in headers and logs.
public enum CorrelationID {
    public static let maxLength = 128

    public static func resolve(correlationHeader: String?, requestIDHeader: String?, traceparent: String?,
                               generate: () -> String = CorrelationID.generate) -> String {
        if let id = correlationHeader.flatMap(sanitized) { return id }
        if let id = requestIDHeader.flatMap(sanitized) { return id }
        if let id = traceparent.flatMap(traceID(fromTraceparent:)) { return id }
        return generate()
    }

    /// 16 random bytes as 32 hex digits (the size of a W3C trace id).
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    static func sanitized(_ raw: String) -> String? {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= maxLength,
              trimmed.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.:".unicodeScalars.contains($0)) })
        else { return nil }
        return trimmed
    }

    /// `version-traceid-parentid-flags`; the trace id is 32 lower-case hex digits, not all zero.
    static func traceID(fromTraceparent header: String) -> String? {
        let parts = header.trimmingCharacters(in: .whitespaces).split(separator: "-")
        guard parts.count >= 4, parts[0].count == 2, parts[1].count == 32,
              parts[1].allSatisfy({ $0.isHexDigit && !$0.isUppercase }),
              parts[1].contains(where: { $0 != "0" })
        else { return nil }
        return String(parts[1])
    }
}
