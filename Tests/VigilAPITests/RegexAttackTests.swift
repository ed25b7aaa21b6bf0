import DeliveryTestFixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore

/// A member key writes silences, routes and inhibition rules whose regexes every alert is
/// matched against, in the API (at submission) and in the worker (at delivery). Patterns that
/// take exponential time on a backtracking engine must not hang either.
@Suite struct RegexAttackTests {
    /// Shapes that backtrack catastrophically, each paired with a value that makes them try hard.
    static let patterns = [
        "(a+)+b", "(a|aa)*c", "(a*)*b", "(.*)*x", "(x+x+)+y", "(.*a){20}b",
        String(repeating: ".*", count: 20) + "x",
    ]

    @Test func pathologicalSilencesNeitherHangSubmissionNorDelivery() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let member = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "member")
            _ = try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/hook"))
            for pattern in Self.patterns {
                let body = try JSONSerialization.data(withJSONObject: [
                    "matchers": [["name": "payload", "op": "=~", "value": pattern]], "ends_at": "2099-01-01T00:00:00Z", "comment": "attack",
                ])
                let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/silences", auth: .bearer(member.key),
                                                  json: String(decoding: body, as: UTF8.self))
                #expect(reply.status == .created, "\(pattern): \(reply.text)")
            }
            // 1,024 bytes (the label value limit) of what the patterns chew on, matching none.
            let value = String(repeating: "a", count: 1_023) + "!"
            let started = ContinuousClock.now
            let raised = try await client.raiseAlert(ws.slug, key: ws.key, title: "victim", labels: ["payload": value])
            try await AlertJobDrain(api).drain()
            let elapsed = ContinuousClock.now - started
            // Not a performance goal: a bound hundreds of times above the few milliseconds this
            // takes, which a backtracking engine misses by hours (`(.*a){20}b` alone).
            #expect(elapsed < .seconds(20), "submission and delivery took \(elapsed)")
            #expect(raised.alert["state"] as? String == "triggered")
            let delivered = try await receiver.requests().filter { $0.path == "/hook" }
            #expect(delivered.count == 1, "no silence matched, so the alert was delivered")
        }
    }
}
