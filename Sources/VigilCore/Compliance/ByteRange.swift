import Foundation

/// The `Range` request header for report downloads (RFC 9110 §14), single range only.
///
/// Decisions:
/// - Absent, not `bytes=`, or syntactically invalid → `.full` (200): RFC 9110 §14.2 lets a
///   server ignore a Range it does not understand.
/// - Several ranges (`bytes=0-1,5-9`) → `.full`: the server may ignore Range, and serving only
///   the first range as a plain 206 would hand a multi-range client a body it did not ask for;
///   multipart/byteranges is not worth its complexity for report files.
/// - Valid but unsatisfiable (first byte at/after the end, `bytes=-0`, any range of an empty
///   file) → `.unsatisfiable` (416 with `Content-Range: bytes */<length>`).
/// - A last position past the end is clamped (`bytes=0-999999` on 10 bytes → 0-9); a suffix
///   longer than the file is the whole file (still 206).
/// - `If-Range`: when given and not equal to the current strong ETag, the Range is ignored (full).
public enum ByteRange: Sendable, Equatable {
    /// 200, the whole representation.
    case full
    /// 206 with `first...last` (inclusive) and `Content-Range: bytes first-last/length`.
    case partial(first: Int64, last: Int64, length: Int64)
    /// 416 with `Content-Range: bytes */length`.
    case unsatisfiable(length: Int64)

    public static func parse(header: String?, length: Int64, ifRange: String? = nil, currentETag: String? = nil) -> ByteRange {
        guard let header, length >= 0 else { return .full }
        if let ifRange, ifRange != currentETag { return .full }
        let trimmed = header.trimmingCharacters(in: [" ", "\t"])
        guard trimmed.utf8.count > 6, trimmed.prefix(6).lowercased() == "bytes=" else { return .full }
        let set = trimmed.dropFirst(6)
        guard !set.contains(",") else { return .full }
        let spec = set.trimmingCharacters(in: [" ", "\t"])
        guard let dash = spec.firstIndex(of: "-") else { return .full }
        let firstText = spec[..<dash], lastText = spec[spec.index(after: dash)...]

        if firstText.isEmpty {
            // bytes=-N: the last N bytes.
            guard let suffix = digits(lastText) else { return .full }
            guard suffix > 0, length > 0 else { return .unsatisfiable(length: length) }
            return .partial(first: max(0, length - suffix), last: length - 1, length: length)
        }
        guard let first = digits(firstText) else { return .full }
        var last = length - 1
        if !lastText.isEmpty {
            guard let requested = digits(lastText) else { return .full }
            guard requested >= first else { return .full }  // bytes=5-2 is invalid: ignore it
            last = min(requested, length - 1)
        }
        guard first < length else { return .unsatisfiable(length: length) }
        return .partial(first: first, last: last, length: length)
    }

    public var statusCode: Int {
        switch self {
        case .full: 200
        case .partial: 206
        case .unsatisfiable: 416
        }
    }

    /// The `Content-Range` value, nil for `.full`.
    public var contentRange: String? {
        switch self {
        case .full: nil
        case .partial(let first, let last, let length): "bytes \(first)-\(last)/\(length)"
        case .unsatisfiable(let length): "bytes */\(length)"
        }
    }

    /// Bytes in the response body (`Content-Length`), given the full length for `.full`.
    public func bodyLength(fullLength: Int64) -> Int64 {
        switch self {
        case .full: fullLength
        case .partial(let first, let last, _): last - first + 1
        case .unsatisfiable: 0
        }
    }

    /// 1*DIGIT; saturates at Int64.max (a huge last-byte-pos just means "to the end").
    private static func digits(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        var value: Int64 = 0
        for c in text.utf8 {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(c - 0x30))
            if o1 || o2 { return Int64.max }
            value = sum
        }
        return value
    }
}
