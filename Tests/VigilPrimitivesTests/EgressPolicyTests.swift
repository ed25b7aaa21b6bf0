import Testing
import VigilPrimitives

/// The egress decision on resolved addresses, table-driven.
@Suite struct EgressPolicyTests {
    static let forbidden: [(String, EgressDenial)] = [
        ("0.0.0.0", .unspecified), ("0.1.2.3", .unspecified), ("::", .unspecified),
        ("127.0.0.1", .loopback), ("127.255.255.254", .loopback), ("::1", .loopback),
        ("10.0.0.1", .privateNetwork), ("172.16.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork),
        ("192.168.1.1", .privateNetwork),
        ("169.254.169.254", .linkLocal), ("fe80::1", .linkLocal), ("febf::1", .linkLocal),
        ("100.64.0.1", .sharedAddressSpace), ("100.127.255.255", .sharedAddressSpace),
        ("fc00::1", .uniqueLocal), ("fd12:3456::1", .uniqueLocal),
        ("224.0.0.1", .multicast), ("239.255.255.250", .multicast), ("ff02::1", .multicast),
        ("255.255.255.255", .broadcast), ("240.0.0.1", .reserved), ("fec0::1", .reserved),
        ("192.0.2.1", .documentation), ("198.51.100.7", .documentation), ("203.0.113.9", .documentation),
        ("198.18.0.1", .documentation), ("2001:db8::1", .documentation),
        // IPv6 forms carrying an IPv4 address are judged by it.
        ("::ffff:127.0.0.1", .loopback), ("0:0:0:0:0:ffff:7f00:1", .loopback), ("::ffff:169.254.169.254", .linkLocal),
        ("::ffff:10.1.2.3", .privateNetwork), ("::127.0.0.1", .loopback), ("64:ff9b::7f00:1", .loopback),
        ("64:ff9b::a9fe:a9fe", .linkLocal), ("2002:7f00:1::1", .loopback), ("2002:c0a8:101::", .privateNetwork),
        ("64:ff9b:1::1", .privateNetwork),
    ]

    static let allowed = [
        "1.1.1.1", "8.8.8.8", "93.184.216.34", "172.32.0.1", "172.15.255.255", "100.128.0.1", "169.253.0.1",
        "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1",
    ]

    @Test(arguments: forbidden)
    func specialPurposeAddressesAreForbidden(text: String, denial: EgressDenial) throws {
        let address = try #require(IPAddress(text))
        #expect(EgressPolicy().decide(address) == .forbidden(denial), "\(text)")
    }

    @Test(arguments: allowed)
    func publicAddressesAreAllowed(text: String) throws {
        #expect(EgressPolicy().decide(try #require(IPAddress(text))) == .allowed, "\(text)")
    }

    /// The resolver's legacy IPv4 spellings land on loopback bytes, which is why the check runs
    /// on the resolved address and never on the URL's text.
    @Test(arguments: ["2130706433", "0177.0.0.1", "0x7f.1", "0x7f000001", "127.1", "017700000001"])
    func legacyIPv4SpellingsAreLoopback(text: String) throws {
        let address = try #require(IPAddress(legacyIPv4: text))
        #expect(address == IPAddress("127.0.0.1"))
        #expect(EgressPolicy().decide(address) == .forbidden(.loopback))
    }

    @Test func theAllowListOverridesAndCoversMappedForms() throws {
        let policy = try EgressPolicy(allowListText: " 127.0.0.1/32 , fd00::/8,,10.1.2.3/16")
        #expect(policy.allowList.map(\.description) == ["127.0.0.1/32", "fd00::/8", "10.1.0.0/16"])
        #expect(policy.decide(IPAddress("127.0.0.1")!) == .allowedByOperator)
        #expect(policy.decide(IPAddress("::ffff:127.0.0.1")!) == .allowedByOperator)
        #expect(policy.decide(IPAddress("127.0.0.2")!) == .forbidden(.loopback))
        #expect(policy.decide(IPAddress("::1")!) == .forbidden(.loopback))
        #expect(policy.decide(IPAddress("fd00::5")!) == .allowedByOperator)
        #expect(policy.decide(IPAddress("10.1.200.1")!) == .allowedByOperator)
        #expect(policy.decide(IPAddress("10.2.0.1")!) == .forbidden(.privateNetwork))
        #expect(policy.decide(IPAddress("8.8.8.8")!) == .allowed)
        #expect(try EgressPolicy(allowListText: "").allowList.isEmpty)
    }

    @Test(arguments: ["localhost", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "1.2.3", "10.0.0.0/8/8", "fe80::1%eth0"])
    func badAllowListEntriesAreRejected(entry: String) {
        #expect(throws: EgressPolicyError.self) { try EgressPolicy(allowListText: "127.0.0.1/32,\(entry)") }
    }

    @Test func addressesParseAndPrint() {
        #expect(IPAddress("[::1]")?.bytes == Array(repeating: 0, count: 15) + [1])
        #expect(IPAddress("::ffff:127.0.0.1")?.description == "::ffff:127.0.0.1")
        #expect(IPAddress("0177.0.0.1") == nil, "strict parsing refuses legacy spellings")
        #expect(IPAddress(bytes: [1, 2, 3]) == nil)
        #expect(IPNetwork("0.0.0.0/0")?.contains(IPAddress("8.8.8.8")!) == true)
        #expect(IPNetwork("0.0.0.0/0")?.contains(IPAddress("::1")!) == false, "families never match each other")
    }
}
