import Testing
import VigilCore

/// One spelling per address or network, and which networks may be blocked.
struct SecurityAddressTests {
    @Test(arguments: [
        ("203.0.113.9", "203.0.113.9", true),
        ("203.0.113.9/32", "203.0.113.9", true),
        ("::ffff:203.0.113.9", "203.0.113.9", true),
        ("2001:DB8:0:0::1", "2001:db8::1", true),
        ("2001:db8::1/128", "2001:db8::1", true),
        ("203.0.113.77/24", "203.0.113.0/24", false),
        ("2001:db8:1234::/48", "2001:db8:1234::/48", false),
        ("::ffff:10.0.0.0/104", "10.0.0.0/8", false),
    ])
    func canonicalSpelling(_ text: String, _ canonical: String, _ single: Bool) throws {
        let address = try #require(SecurityAddress(text))
        #expect(address.description == canonical)
        #expect(address.isSingleAddress == single)
    }

    @Test(arguments: ["", "not-an-ip", "203.0.113", "203.0.113.9/33", "2001:db8::/129", "[2001:db8::1]", "1.2.3.4 ", "١.٢.٣.٤",
                      String(repeating: "1", count: 65)])
    func refusesWhatIsNotAnAddress(_ text: String) {
        #expect(SecurityAddress(text) == nil)
    }

    @Test(arguments: [("10.0.0.0/8", true), ("10.0.0.0/7", false), ("0.0.0.0/0", false), ("2001:db8::/16", true), ("::/0", false),
                      ("2001:db8::/15", false), ("198.51.100.1", true)])
    func onlyNarrowNetworksMayBeBlocked(_ text: String, _ blockable: Bool) throws {
        #expect(try #require(SecurityAddress(text)).isBlockable == blockable)
    }
}
