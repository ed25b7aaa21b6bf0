import DeliveryTestFixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilPrimitives
import VigilServices

/// The egress policy end to end: a tenant admin points channels at this machine's loopback in
/// every spelling; with no allow-list each attempt fails as "destination address not allowed"
/// (no address, no connect detail), and the real receiver proves nothing arrived.
@Suite(.serialized) struct EgressPolicyAPITests {
    static let refused = "destination address not allowed"

    @Test func loopbackDestinationsAreRefusedAtConnectTime() async throws {
        let receiver = HTTPReceiverPeer()
        let smtp = SMTPPeer()
        let port = try await receiver.start()
        let smtpPort = try await smtp.start(username: "vigil", password: "smtp-pass-123")
        defer { receiver.stop(); smtp.stop() }
        try await TestAPI.run(egress: EgressPolicy(), smtpCABundles: ["test-relay": smtp.certFile]) { api, client in
            let ws = try await client.createWorkspace()
            let hosts = ["127.0.0.1", "localhost", "[::1]", "2130706433", "0177.0.0.1", "[::ffff:127.0.0.1]"]
            for (index, host) in hosts.enumerated() {
                _ = try await client.webhookChannel(ws.slug, key: ws.key, url: "http://\(host):\(port)/hook-\(index)", name: "probe-\(index)")
            }
            _ = try await client.postJSON("/v1/workspaces/\(ws.slug)/channels", key: ws.key, """
                {"name":"mail","kind":"email","to":["oncall@example.com"],"from":"vigil@example.com","smtp_host":"127.0.0.1",
                 "smtp_port":\(smtpPort),"smtp_username":"vigil","smtp_ca_bundle":"test-relay","secrets":{"smtp_password":"smtp-pass-123"}}
                """)
            let alert = try await client.raiseAlert(ws.slug, key: ws.key).alert
            try await AlertJobDrain(api).drain(rounds: 1)

            let ledger = try await client.ledger(ws.slug, key: ws.key, alertID: alert.id)
            #expect(ledger.count == hosts.count + 1)
            for row in ledger {
                #expect(row["status"] as? String == "failed")
                #expect(row["error"] as? String == Self.refused, "\(row)")
                #expect(row["status_code"] == nil || row["status_code"] is NSNull)
            }
            #expect(try await receiver.requests().isEmpty, "nothing may reach the receiver")
            #expect(try await smtp.messages().isEmpty, "nothing may reach the SMTP server")
        }
    }

    @Test func theOperatorAllowListLetsTheSameDeliveryArrive() async throws {
        let receiver = HTTPReceiverPeer()
        let port = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run(egress: EgressPolicy(allowList: [IPNetwork("127.0.0.1/32")!])) { api, client in
            let ws = try await client.createWorkspace()
            _ = try await client.webhookChannel(ws.slug, key: ws.key, url: "http://2130706433:\(port)/hook")
            let alert = try await client.raiseAlert(ws.slug, key: ws.key).alert
            try await AlertJobDrain(api).drain(rounds: 1)
            #expect(try await client.ledger(ws.slug, key: ws.key, alertID: alert.id).first?["status"] as? String == "sent")
            #expect(try await receiver.requests().count == 1)
        }
    }

    /// The ledger keeps the status code and a status class, never the receiver's body.
    @Test func answeredFailuresShowOnlyTheStatusClass() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            _ = try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/status/503"))
            let alert = try await client.raiseAlert(ws.slug, key: ws.key).alert
            try await AlertJobDrain(api).drain(rounds: 1)
            let row = try #require(try await client.ledger(ws.slug, key: ws.key, alertID: alert.id).first)
            #expect(row["status_code"] as? Int == 503)
            #expect(row["error"] as? String == "HTTP 5xx", "\(row)")
        }
    }

    @Test func emailChannelsNameAConfiguredCABundle() async throws {
        try await TestAPI.run(smtpCABundles: ["corp-relay": "/etc/ssl/certs/ca-certificates.crt"]) { _, client in
            let ws = try await client.createWorkspace()
            let uri = "/v1/workspaces/\(ws.slug)/channels"
            func body(_ extra: String) -> String {
                #"{"name":"m","kind":"email","to":["a@example.com"],"from":"v@example.com","smtp_host":"smtp.example.com"\#(extra)}"#
            }
            let ok = try await client.call(.post, uri, auth: .bearer(ws.key), json: body(#","smtp_ca_bundle":"corp-relay""#))
            #expect(ok.status == .created, "\(ok.text)")
            #expect(ok.json["smtp_ca_bundle"] as? String == "corp-relay")

            let unknown = try await client.call(.post, uri, auth: .bearer(ws.key), json: body(#","smtp_ca_bundle":"other""#))
            #expect(unknown.status == .badRequest, "\(unknown.text)")
            #expect(unknown.errorCode != nil)
            // The free path is gone from the API: a file on the worker can no longer be named.
            let path = try await client.call(.post, uri, auth: .bearer(ws.key), json: body(#","smtp_ca_file":"/etc/shadow""#))
            #expect(path.status == .badRequest, "\(path.text)")
        }
    }
}
