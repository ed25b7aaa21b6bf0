import DeliveryTestFixtures
import Foundation
import Testing
import VigilDelivery
import VigilPrimitives

/// The egress policy at connect time, against a real receiver on 127.0.0.1: every spelling of
/// a loopback destination is refused with the generic class, and the receiver proves nothing
/// arrived; the operator's allow-list lets the same delivery through.
@Suite("Egress at connect time", .serialized)
struct EgressDeliveryTests {
    static let strict = HTTPDeliverer(maxConcurrent: 4)
    static let allowLoopback = HTTPDeliverer(maxConcurrent: 4, policy: EgressPolicy(allowList: [IPNetwork("127.0.0.1/32")!]))

    /// Host spellings that all reach this machine's loopback (the resolver accepts the legacy
    /// decimal/octal/hex IPv4 forms; the IPv6 ones are loopback or IPv4-mapped loopback).
    static let loopbackHosts = [
        "127.0.0.1", "localhost", "localhost.", "[::1]", "2130706433", "0177.0.0.1", "0x7f.1",
        "[::ffff:127.0.0.1]", "[0:0:0:0:0:ffff:7f00:1]",
    ]

    @Test(arguments: loopbackHosts)
    func loopbackSpellingsAreRefusedBeforeConnecting(host: String) async throws {
        let receiver = HTTPReceiverPeer()
        defer { receiver.stop() }
        let port = try await receiver.start()
        let url = "http://\(host):\(port)/hook"
        let outcome = await Self.strict.post(OutboundHTTPRequest(url: url, body: Array("{}".utf8), timeout: .seconds(3)))
        #expect(!outcome.succeeded)
        #expect(outcome.statusCode == nil)
        // Some spellings may not resolve at all in this environment (DNS failure is also a
        // refusal); every one that resolves must be refused by the policy.
        #expect([.destinationNotAllowed, .dnsFailure].contains(outcome.failure), "\(host): \(outcome.error ?? "nil")")
        if outcome.failure == .destinationNotAllowed {
            #expect(outcome.error == "destination address not allowed")
            #expect(outcome.ledgerError == "destination address not allowed")
        }
        #expect(outcome.error?.contains(host) != true && outcome.error?.contains(String(port)) != true, "no address or URL in the text")
        #expect(try await receiver.requests().isEmpty, "\(host): nothing may reach the receiver")
    }

    @Test func theCommonLoopbackSpellingsResolveAndAreRefusedByThePolicy() async throws {
        // These never depend on DNS: literals and /etc/hosts' localhost.
        let port = try PeerEnvironment.freePort()
        for host in ["127.0.0.1", "[::1]", "2130706433", "0177.0.0.1", "0x7f.1", "[::ffff:127.0.0.1]", "localhost"] {
            let outcome = await Self.strict.post(OutboundHTTPRequest(url: "http://\(host):\(port)/", body: [], timeout: .seconds(3)))
            #expect(outcome.failure == .destinationNotAllowed, "\(host): \(outcome.error ?? "nil")")
        }
    }

    @Test func privateAndMetadataAddressesAreRefused() async throws {
        for host in ["169.254.169.254", "10.0.0.1", "192.168.1.1", "172.16.0.1", "100.64.0.1", "0.0.0.0", "[fe80::1]", "[fd00::1]"] {
            let outcome = await Self.strict.post(OutboundHTTPRequest(url: "http://\(host):80/latest/meta-data/", body: [], timeout: .seconds(3)))
            #expect(outcome.failure == .destinationNotAllowed, "\(host): \(outcome.error ?? "nil")")
        }
    }

    @Test func theAllowListLetsTheSameDeliveryThrough() async throws {
        let receiver = HTTPReceiverPeer()
        defer { receiver.stop() }
        let port = try await receiver.start()
        for host in ["127.0.0.1", "2130706433", "[::ffff:127.0.0.1]"] {
            let outcome = await Self.allowLoopback.post(OutboundHTTPRequest(url: "http://\(host):\(port)/ok", body: Array("{}".utf8)))
            #expect(outcome.succeeded, "\(host): \(outcome.error ?? "nil")")
        }
        #expect(try await receiver.requests().count == 3)
        // ::1 is not in 127.0.0.1/32: still refused.
        let v6 = await Self.allowLoopback.post(OutboundHTTPRequest(url: "http://[::1]:\(port)/ok", body: []))
        #expect(v6.failure == .destinationNotAllowed)
    }

    @Test func smtpToLoopbackIsRefusedUnlessAllowed() async throws {
        let peer = SMTPPeer()
        defer { peer.stop() }
        let port = try await peer.start(username: "u", password: "p-egress")
        let message = EmailMessage(from: "a@vigil.test", to: ["b@example.com"], subject: "s", textBody: "t", htmlBody: "<p>t</p>")
        let settings = SMTPSettings(host: "127.0.0.1", port: port, username: "u", password: "p-egress", security: .starttls,
                                    caFile: peer.certFile, timeout: .seconds(5))
        let refused = await SMTPDeliverer().send(message, via: settings)
        #expect(refused.failure == .destinationNotAllowed, "\(refused.error ?? "nil")")
        #expect(try await peer.messages().isEmpty)

        let allowed = await SMTPDeliverer(policy: EgressPolicy(allowList: [IPNetwork("127.0.0.1/32")!])).send(message, via: settings)
        #expect(allowed.succeeded, "\(allowed.error ?? "nil")")
        #expect(try await peer.messages().count == 1)
    }

    @Test func smtpCABundlesAreResolvedByName() async throws {
        let peer = SMTPPeer()
        defer { peer.stop() }
        let port = try await peer.start(username: "u", password: "p-bundle")
        let message = EmailMessage(from: "a@vigil.test", to: ["b@example.com"], subject: "s", textBody: "t", htmlBody: "<p>t</p>")
        let deliverer = SMTPDeliverer(policy: EgressPolicy(allowList: [IPNetwork("127.0.0.1/32")!]), caBundles: ["relay": peer.certFile])
        var settings = SMTPSettings(host: "127.0.0.1", port: port, username: "u", password: "p-bundle", security: .starttls,
                                    caBundle: "relay", timeout: .seconds(5))
        let sent = await deliverer.send(message, via: settings)
        #expect(sent.succeeded, "\(sent.error ?? "nil")")
        settings.caBundle = "gone"
        let unknown = await deliverer.send(message, via: settings)
        #expect(unknown.failure == .configuration)
        #expect(try await peer.messages().count == 1)
    }
}
