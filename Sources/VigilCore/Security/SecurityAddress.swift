import VigilPrimitives

/// A source address or a blocked network as a workspace names it: an IPv4 or IPv6 address, or a
/// CIDR block. One spelling per network, so scores and blocks of `::ffff:10.0.0.1`,
/// `10.0.0.1/32` and `10.0.0.1` are one row: IPv4-mapped IPv6 becomes IPv4, host bits are
/// cleared, a full-length prefix is written as the bare address, IPv6 in RFC 5952 form.
public struct SecurityAddress: Sendable, Hashable, CustomStringConvertible {
    public let network: IPNetwork

    /// The shortest prefix a block may have: `0.0.0.0/0` in an edge include would refuse everyone.
    public static let minimumIPv4Prefix = 8
    public static let minimumIPv6Prefix = 16
    public static let maxTextLength = 64

    public init?(_ text: String) {
        guard !text.isEmpty, text.utf8.count <= Self.maxTextLength, !text.hasPrefix("[") else { return nil }
        guard let parsed = IPNetwork(text) else { return nil }
        let bytes = parsed.address.bytes
        if bytes.count == 16, bytes.prefix(10).allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            let v4 = IPAddress(bytes: Array(bytes.suffix(4)))!
            network = IPNetwork(address: v4, prefixLength: max(0, parsed.prefixLength - 96))
        } else {
            network = parsed
        }
    }

    public var isSingleAddress: Bool { network.prefixLength == network.address.bytes.count * 8 }

    /// Whether the network is narrow enough to block (see the minimum prefixes).
    public var isBlockable: Bool {
        network.prefixLength >= (network.address.isIPv4 ? Self.minimumIPv4Prefix : Self.minimumIPv6Prefix)
    }

    public var description: String { isSingleAddress ? network.address.description : network.description }
}
