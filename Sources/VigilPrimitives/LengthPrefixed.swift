/// Fields joined so that the boundaries between them cannot be forged, for the bytes under a
/// hash: with a length before each field, ("ab", "c") and ("a", "bc") give different bytes
/// whatever the strings contain. Lengths count UTF-8 bytes.
///
/// Two formats, because both are persisted and may never change for the values already stored:
/// - `.uint32BigEndian`: 4-byte big-endian length, then the bytes (audit chain, subject
///   fingerprints, series keys);
/// - `.netstring`: `<decimal length>:<bytes>,` (alert fingerprints, KPI dimension ids), which
///   can be checked by hand: `printf '2:v1,3:api,' | sha256sum`.
public struct LengthPrefixed: Sendable {
    public enum Format: Sendable {
        case uint32BigEndian
        case netstring
    }

    public let format: Format
    public private(set) var bytes: [UInt8]

    /// `header` goes first, unprefixed (a version byte, say).
    public init(_ format: Format, header: [UInt8] = []) {
        self.format = format
        self.bytes = header
    }

    public mutating func reserveCapacity(_ count: Int) {
        bytes.reserveCapacity(count)
    }

    public mutating func append(_ field: some StringProtocol) {
        let utf8 = field.utf8
        switch format {
        case .uint32BigEndian:
            appendUInt32(utf8.count)
            bytes.append(contentsOf: utf8)
        case .netstring:
            DecimalText.appendPadded(utf8.count, width: 1, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: ","))
        }
    }

    /// A bare 4-byte big-endian number (a count of the fields that follow). Values beyond
    /// 32 bits keep their low 32 bits, as a length would.
    public mutating func appendUInt32(_ value: Int) {
        let v = UInt32(truncatingIfNeeded: value)
        bytes.append(contentsOf: [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)])
    }
}
