import Testing
import VigilPrimitives

/// Who the client is behind the operator's load balancers, and that nobody else can say so.
struct TrustedProxiesTests {
    static let proxies = try! TrustedProxies(settingText: "10.0.0.0/8, 2001:db8::/32")

    @Test(arguments: [
        // No trusted proxies configured: the peer, whatever it forwards.
        ("", "10.0.0.5", ["203.0.113.9"], "10.0.0.5"),
        // An untrusted peer forging the header is itself the client.
        ("10.0.0.0/8", "198.51.100.7", ["203.0.113.9"], "198.51.100.7"),
        // A trusted load balancer: the address it appended.
        ("10.0.0.0/8", "10.0.0.5", ["203.0.113.9"], "203.0.113.9"),
        // Two trusted hops: skip both from the right.
        ("10.0.0.0/8", "10.0.0.5", ["203.0.113.9, 10.1.2.3"], "203.0.113.9"),
        // The client's own forged entries left of the real one are ignored.
        ("10.0.0.0/8", "10.0.0.5", ["6.6.6.6, 203.0.113.9"], "203.0.113.9"),
        // Several header lines read as one list, in order.
        ("10.0.0.0/8", "10.0.0.5", ["6.6.6.6", "203.0.113.9, 10.9.9.9"], "203.0.113.9"),
        // Garbage stops the walk at the last good address.
        ("10.0.0.0/8", "10.0.0.5", ["203.0.113.9, not-an-ip"], "10.0.0.5"),
        ("10.0.0.0/8", "10.0.0.5", ["not-an-ip, 10.1.1.1"], "10.1.1.1"),
        // A trusted peer without the header is the client.
        ("10.0.0.0/8", "10.0.0.5", [], "10.0.0.5"),
        // IPv6 hops and peers.
        ("2001:db8::/32", "2001:db8::1", ["2001:db9::42"], "2001:db9::42"),
    ] as [(String, String, [String], String)])
    func resolvesTheClient(trusted: String, peer: String, forwardedFor: [String], expected: String) throws {
        let proxies = try TrustedProxies(settingText: trusted)
        #expect(proxies.client(peer: peer, forwardedFor: forwardedFor) == expected)
    }

    /// A long chain of trusted hops is walked only `maxHops` deep: the answer is the last one
    /// reached, and the work stays bounded whatever the header holds.
    @Test func aLongTrustedChainIsWalkedOnlySoFar() {
        let hops = (0..<10_000).map { "10.0.\($0 / 256 % 256).\($0 % 256)" }
        let reached = Self.proxies.client(peer: "10.0.0.5", forwardedFor: ["203.0.113.9, " + hops.joined(separator: ", ")])
        #expect(reached == hops[hops.count - TrustedProxies.maxHops])
    }

    @Test func noPeerStaysUnknown() {
        #expect(Self.proxies.client(peer: nil, forwardedFor: ["203.0.113.9"]) == nil)
    }

    @Test func refusesASettingThatIsNotAddresses() {
        #expect(throws: EgressPolicyError.self) { try TrustedProxies(settingText: "10.0.0.0/8, lb.internal") }
    }
}
