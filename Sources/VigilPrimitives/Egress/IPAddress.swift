#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 (4 bytes) or IPv6 (16 bytes) address, as a socket carries it.
///
/// The egress policy judges these bytes, never host names or URL text: a resolver accepts
/// spellings (`2130706433`, `0177.0.0.1`, `0x7f.1`) that a text check would miss, and a name
/// can resolve differently at connect time than when it was validated.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Strict text form: dotted-quad IPv4 or any IPv6 form (brackets allowed), via inet_pton.
    public init?(_ text: String) {
        var text = Substring(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if let v4 = Self.pton(AF_INET, String(text), count: 4) {
            bytes = v4
        } else if let v6 = Self.pton(AF_INET6, String(text), count: 16) {
            bytes = v6
        } else {
            return nil
        }
    }

    /// The legacy IPv4 spellings the C resolver accepts (inet_aton: decimal, octal and hex
    /// parts, 1-4 of them), so tests can show those spellings land on the same bytes.
    public init?(legacyIPv4 text: String) {
        var address = in_addr()
        guard inet_aton(text, &address) != 0 else { return nil }
        bytes = withUnsafeBytes(of: &address.s_addr) { Array($0) }
    }

    public var isIPv4: Bool { bytes.count == 4 }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let family = isIPv4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func pton(_ family: Int32, _ text: String, count: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: 16)
        let result = out.withUnsafeMutableBytes { inet_pton(family, text, $0.baseAddress) }
        return result == 1 ? Array(out.prefix(count)) : nil
    }
}
