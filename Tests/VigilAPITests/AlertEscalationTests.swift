import DeliveryTestFixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore

/// Escalation policies: levels stepped through by worker jobs, stopped by acknowledgement,
/// restarted by the acknowledgement timeout, frozen as the policy stood at trigger time.
@Suite(.serialized) struct AlertEscalationTests {
    struct Setup {
        var ws: (id: String, slug: String, key: String)
        var level1: String
        var level2: String
        var spare: String
    }

    func setUp(_ client: some TestClientProtocol, _ receiver: HTTPReceiverPeer) async throws -> Setup {
        let ws = try await client.createWorkspace()
        return Setup(ws: ws,
                     level1: try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/l1"), name: "l1"),
                     level2: try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/l2"), name: "l2"),
                     spare: try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/l3"), name: "l3"))
    }

    func policy(_ client: some TestClientProtocol, _ s: Setup, repeatLoops: Int = 0, ackTimeout: Int? = nil) async throws -> String {
        try await client.postJSON("/v1/workspaces/\(s.ws.slug)/escalation-policies", key: s.ws.key, """
            {"name":"p-\(UUID().uuidString.prefix(6))","levels":[{"delay_minutes":0,"channel_ids":["\(s.level1)"]},
             {"delay_minutes":10,"channel_ids":["\(s.level2)"]}],"repeat_loops":\(repeatLoops),
             "ack_timeout_minutes":\(ackTimeout.map(String.init) ?? "null")}
            """).id
    }

    /// (path, event) of every delivery about this alert, in arrival order.
    func deliveries(_ receiver: HTTPReceiverPeer, alertID: String) async throws -> [String] {
        try await receiver.requests().compactMap { request in
            guard let body = request.jsonObject, (body["alert"] as? [String: Any])?["id"] as? String == alertID else { return nil }
            return "\(request.path):\(body["event"] as? String ?? "?")"
        }
    }

    @Test func stepsThroughEveryLevelAndLoop() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let s = try await setUp(client, receiver)
            let policyID = try await policy(client, s, repeatLoops: 1)
            let alert = try await client.raiseAlert(s.ws.slug, key: s.ws.key, extra: #","escalation_policy":"\#(policyID)""#).alert
            #expect(alert["escalation_policy_id"] as? String == policyID)
            let drain = AlertJobDrain(api)
            try await drain.drain()
            #expect(try await deliveries(receiver, alertID: alert.id) == ["/l1:triggered"], "only the first level is due at once")
            try await drain.drain(advancingTime: true)
            #expect(try await deliveries(receiver, alertID: alert.id) == ["/l1:triggered", "/l2:escalated", "/l1:escalated", "/l2:escalated"])
            let detail = try await client.call(.get, "/v1/workspaces/\(s.ws.slug)/alerts/\(alert.id)", auth: .bearer(s.ws.key))
            let steps = (detail.json["timeline"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "escalation_step" }
            #expect(steps.compactMap { ($0["details"] as? [String: String]).map { "\($0["loop"]!).\($0["level"]!)" } } == ["0.0", "0.1", "1.0", "1.1"])
            let current = try #require(detail.json["alert"] as? [String: Any])
            #expect(current["escalation_loop"] as? Int == 1)
            #expect(current["escalation_level"] as? Int == 1)
            #expect(try await drain.pending(kind: AlertJobs.EscalateArgs.kind) == 0, "the policy is exhausted")
        }
    }

    @Test func acknowledgementStopsEscalationAndResolutionEndsIt() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let s = try await setUp(client, receiver)
            let policyID = try await policy(client, s)
            let drain = AlertJobDrain(api)
            let acked = try await client.raiseAlert(s.ws.slug, key: s.ws.key, title: "acked", extra: #","escalation_policy":"\#(policyID)""#).alert
            let resolved = try await client.raiseAlert(s.ws.slug, key: s.ws.key, title: "resolved", extra: #","escalation_policy":"\#(policyID)""#).alert
            try await drain.drain()
            #expect(try await client.call(.post, "/v1/workspaces/\(s.ws.slug)/alerts/\(acked.id)/acknowledge", auth: .bearer(s.ws.key)).status == .ok)
            #expect(try await client.call(.post, "/v1/workspaces/\(s.ws.slug)/alerts/\(resolved.id)/resolve", auth: .bearer(s.ws.key)).status == .ok)
            try await drain.drain(advancingTime: true)
            #expect(try await deliveries(receiver, alertID: acked.id) == ["/l1:triggered", "/l1:acknowledged"])
            #expect(try await deliveries(receiver, alertID: resolved.id) == ["/l1:triggered", "/l1:resolved"])
        }
    }

    @Test func theAcknowledgementTimeoutTriggersAgain() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let s = try await setUp(client, receiver)
            let policyID = try await policy(client, s, ackTimeout: 30)
            let drain = AlertJobDrain(api)
            let alert = try await client.raiseAlert(s.ws.slug, key: s.ws.key, extra: #","escalation_policy":"\#(policyID)""#).alert
            try await drain.drain()
            #expect(try await client.call(.post, "/v1/workspaces/\(s.ws.slug)/alerts/\(alert.id)/acknowledge", auth: .bearer(s.ws.key)).status == .ok)
            try await drain.drain()
            #expect(try await drain.pending(kind: AlertJobs.AckTimeoutArgs.kind) == 1)
            try await drain.drain(advancingTime: true)
            let detail = try await client.call(.get, "/v1/workspaces/\(s.ws.slug)/alerts/\(alert.id)", auth: .bearer(s.ws.key))
            #expect((detail.json["alert"] as? [String: Any])?["state"] as? String == "triggered")
            let kinds = (detail.json["timeline"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(kinds.contains("ack_timeout"))
            let events = try await deliveries(receiver, alertID: alert.id)
            #expect(events.sorted() == ["/l1:acknowledged", "/l1:triggered", "/l1:triggered", "/l2:escalated"], "\(events)")
            #expect(events.first == "/l1:triggered")
            #expect(events.filter { $0 == "/l1:triggered" }.count == 2, "escalation restarted at level 1: \(events)")
            #expect(events.last == "/l2:escalated")
        }
    }

    @Test func anAlertFollowsThePolicyAsItStoodAtTrigger() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let s = try await setUp(client, receiver)
            let policyID = try await policy(client, s)
            let alert = try await client.raiseAlert(s.ws.slug, key: s.ws.key, extra: #","escalation_policy":"\#(policyID)""#).alert
            let changed = try await client.call(.put, "/v1/workspaces/\(s.ws.slug)/escalation-policies/\(policyID)", auth: .bearer(s.ws.key), json: """
                {"name":"changed","levels":[{"delay_minutes":0,"channel_ids":["\(s.spare)"]}]}
                """)
            #expect(changed.status == .ok, "\(changed.text)")
            try await AlertJobDrain(api).drain(advancingTime: true)
            #expect(try await deliveries(receiver, alertID: alert.id) == ["/l1:triggered", "/l2:escalated"])
            // A new alert gets the new policy.
            let later = try await client.raiseAlert(s.ws.slug, key: s.ws.key, title: "later", extra: #","escalation_policy":"\#(policyID)""#).alert
            try await AlertJobDrain(api).drain(advancingTime: true)
            #expect(try await deliveries(receiver, alertID: later.id) == ["/l3:triggered"])
        }
    }

    @Test func manualEscalationNotifiesTheNextLevelNow() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let s = try await setUp(client, receiver)
            let policyID = try await policy(client, s)
            let alert = try await client.raiseAlert(s.ws.slug, key: s.ws.key, extra: #","escalation_policy":"\#(policyID)""#).alert
            let drain = AlertJobDrain(api)
            try await drain.drain()
            let escalated = try await client.call(.post, "/v1/workspaces/\(s.ws.slug)/alerts/\(alert.id)/escalate", auth: .bearer(s.ws.key),
                                                  json: #"{"note":"paging the database team"}"#)
            #expect(escalated.status == .ok)
            #expect(escalated.json["escalation_level"] as? Int == 1)
            try await drain.drain()
            #expect(try await deliveries(receiver, alertID: alert.id) == ["/l1:triggered", "/l2:escalated"])
            // The scheduled level-2 step is now stale: advancing time sends nothing more.
            try await drain.drain(advancingTime: true)
            #expect(try await deliveries(receiver, alertID: alert.id).count == 2)
            // Invalid policies are refused.
            for body in [#"{"name":"x","levels":[]}"#,
                         #"{"name":"x","levels":[{"delay_minutes":-1,"channel_ids":["\#(s.level1)"]}]}"#,
                         #"{"name":"x","levels":[{"delay_minutes":0,"channel_ids":["3f1c0e9a-0000-4000-8000-000000000000"]}]}"#] {
                try await client.call(.post, "/v1/workspaces/\(s.ws.slug)/escalation-policies", auth: .bearer(s.ws.key), json: body)
                    .expectErrorEnvelope(.badRequest, "invalid_request")
            }
        }
    }
}
