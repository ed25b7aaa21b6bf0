/// The special-purpose address ranges (IANA registries, RFC 6890 and successors) that egress
/// refuses, and the IPv6 forms that carry an IPv4 address inside them.
enum EgressRanges {
    private static let ipv4: [(IPNetwork, EgressDenial)] = table([
        "255.255.255.255/32": .broadcast,  // before 240/4, which contains it
        "0.0.0.0/8": .unspecified,
        "10.0.0.0/8": .privateNetwork,
        "100.64.0.0/10": .sharedAddressSpace,  // carrier-grade NAT
        "127.0.0.0/8": .loopback,
        "169.254.0.0/16": .linkLocal,  // includes cloud metadata 169.254.169.254
        "172.16.0.0/12": .privateNetwork,
        "192.0.0.0/24": .reserved,  // IETF protocol assignments
        "192.0.2.0/24": .documentation,
        "192.168.0.0/16": .privateNetwork,
        "198.18.0.0/15": .documentation,  // benchmarking
        "198.51.100.0/24": .documentation,
        "203.0.113.0/24": .documentation,
        "224.0.0.0/4": .multicast,
        "240.0.0.0/4": .reserved,
    ])

    private static let ipv6: [(IPNetwork, EgressDenial)] = table([
        "::/128": .unspecified,
        "::1/128": .loopback,
        "64:ff9b:1::/48": .privateNetwork,  // local-use NAT64
        "100::/64": .reserved,  // discard-only
        "2001:db8::/32": .documentation,
        "fc00::/7": .uniqueLocal,
        "fe80::/10": .linkLocal,
        "fec0::/10": .reserved,  // deprecated site-local
        "ff00::/8": .multicast,
    ])

    /// IPv6 forms that reach an IPv4 host and are judged by it: IPv4-mapped ::ffff:0:0/96,
    /// IPv4-compatible ::/96 (deprecated), NAT64 64:ff9b::/96 (the last 4 bytes) and 6to4
    /// 2002::/16 (bytes 2-5).
    private static let embeddingPrefixes: [(IPNetwork, Range<Int>)] = [
        (IPNetwork("::ffff:0:0/96")!, 12..<16),
        (IPNetwork("::/96")!, 12..<16),
        (IPNetwork("64:ff9b::/96")!, 12..<16),
        (IPNetwork("2002::/16")!, 2..<6),
    ]

    private static func table(_ rows: KeyValuePairs<String, EgressDenial>) -> [(IPNetwork, EgressDenial)] {
        rows.map { (IPNetwork($0.key)!, $0.value) }
    }

    static func embeddedIPv4(in address: IPAddress) -> IPAddress? {
        guard !address.isIPv4 else { return nil }
        for (network, slice) in embeddingPrefixes where network.contains(address) {
            return IPAddress(bytes: Array(address.bytes[slice]))
        }
        return nil
    }

    static func denial(for address: IPAddress) -> EgressDenial? {
        let table = address.isIPv4 ? ipv4 : ipv6
        // :: and ::1 sit inside ::/96 but are IPv6's own unspecified and loopback addresses.
        if let match = table.first(where: { $0.0.contains(address) }) { return match.1 }
        if let inner = embeddedIPv4(in: address) { return denial(for: inner) }
        return nil
    }
}
