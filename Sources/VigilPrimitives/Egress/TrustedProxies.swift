/// The client's address behind load balancers (`VIGIL_TRUSTED_PROXIES`): audit entries, the
/// per-address authentication throttle and probe records must name the client, not the proxy —
/// but only proxies the operator trusts may say who the client is, or any client could claim
/// any address by sending the header itself.
public struct TrustedProxies: Sendable, Equatable {
    public let networks: [IPNetwork]

    public init(networks: [IPNetwork] = []) {
        self.networks = networks
    }

    /// Parses comma-separated addresses or CIDR blocks (blank entries ignored).
    public init(settingText text: String) throws(EgressPolicyError) {
        self.init(networks: try EgressPolicy(allowListText: text).allowList)
    }

    public func trusts(_ address: IPAddress) -> Bool {
        networks.contains { $0.contains(address) }
    }

    /// `peer` is the TCP peer; `forwardedFor` the `X-Forwarded-For` header values in order.
    /// When the peer is trusted, walks the forwarded chain from the right (the entry the
    /// nearest proxy appended) past every trusted proxy and answers the first address that is
    /// not one; a malformed entry stops the walk at the last address known good (everything to
    /// its left could be forged). An untrusted peer is the client, whatever it sent. At most
    /// `maxHops` entries are walked, so a chain of trusted addresses costs bounded work.
    public static let maxHops = 16

    public func client(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, let peerAddress = IPAddress(peer), trusts(peerAddress) else { return peer }
        var client = peer
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingWhitespace }
        for hop in hops.reversed().prefix(Self.maxHops) {
            guard let address = IPAddress(hop) else { return client }
            client = address.description
            if !trusts(address) { return client }
        }
        return client
    }
}
