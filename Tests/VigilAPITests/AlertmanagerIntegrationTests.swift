import DeliveryTestFixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore

/// Prometheus's own Alertmanager as a real sender of version-4 webhooks into a live Vigil, and
/// Vigil's webhook channel speaking the same shape to an existing receiver.
@Suite(.serialized) struct AlertmanagerIntegrationTests {
    @Test func alertmanagerPayloadsFlowInAndOutInTheV4Shape() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        let alertmanager = AlertmanagerPeer()
        defer { receiver.stop(); alertmanager.stop() }
        try await TestAPI.run(testing: .live) { api, client in
            let ws = try await client.createWorkspace()
            // A member key: resolving through Alertmanager needs a role that may resolve alerts.
            let member = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "member")
            let port = try #require(client.port)
            _ = try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/am-receiver"), format: "alertmanager")
            try await alertmanager.start(webhookURL: "http://127.0.0.1:\(port)/v1/workspaces/\(ws.slug)/integrations/alertmanager",
                                         bearerToken: member.key)
            let startsAt = Date().addingTimeInterval(-60)
            let labels = ["alertname": "HighLatency", "severity": "critical", "service": "checkout"]
            try await alertmanager.push(alerts: [.init(labels: labels, annotations: ["summary": "p95 over 2s", "description": "checkout is slow"],
                                                      startsAt: startsAt)])

            func alertsNow() async throws -> [[String: Any]] {
                let reply = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?source=alertmanager", auth: .bearer(ws.key))
                return reply.json["items"] as? [[String: Any]] ?? []
            }
            let firing = try #require(try await eventually(timeout: .seconds(20)) { try await alertsNow().first })
            #expect(firing["title"] as? String == "p95 over 2s")
            #expect(firing["message"] as? String == "checkout is slow")
            #expect(firing["severity"] as? String == "critical")
            #expect(firing["state"] as? String == "triggered")
            #expect(firing["labels"] as? [String: String] == labels)

            // Vigil notifies its own channel in Alertmanager's shape.
            try await AlertJobDrain(api).drain()
            let outbound = try #require(try await receiver.requests().first { $0.path == "/am-receiver" }?.jsonObject)
            #expect(outbound["version"] as? String == "4")
            #expect(outbound["status"] as? String == "firing")
            let sent = try #require((outbound["alerts"] as? [[String: Any]])?.first)
            #expect((sent["labels"] as? [String: String])?["alertname"] == "HighLatency")
            #expect(sent["status"] as? String == "firing")
            #expect((sent["fingerprint"] as? String)?.isEmpty == false)

            // Resolved in Alertmanager: resolved in Vigil, by the integration.
            try await alertmanager.push(alerts: [.init(labels: labels, annotations: ["summary": "p95 over 2s"], startsAt: startsAt,
                                                      endsAt: Date().addingTimeInterval(-1))])
            let resolved = try #require(try await eventually(timeout: .seconds(20)) {
                try await alertsNow().first { $0["state"] as? String == "resolved" }
            })
            #expect(resolved["id"] as? String == firing["id"] as? String)
            #expect(resolved["resolved_by"] as? String == "alertmanager")
            #expect(try await alertsNow().count == 1, "the same fingerprint, one alert")
        }
    }

    @Test func malformedAlertmanagerPayloadsAreRefusedCleanly() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let uri = "/v1/workspaces/\(ws.slug)/integrations/alertmanager"
            let alert = #"{"status":"firing","labels":{"alertname":"A"},"annotations":{},"startsAt":"2026-11-30T10:00:00Z"}"#
            for body in [#"{"version":"3","alerts":[\#(alert)]}"#,
                         #"{"version":"4"}"#,
                         #"{"version":"4","alerts":[{"status":"exploding","labels":{}}]}"#,
                         #"{"version":"4","alerts":[{"status":"firing","labels":{"alertname":7}}]}"#,
                         #"{"version":"4","alerts":"nope"}"#] {
                try await client.call(.post, uri, auth: .bearer(ws.key), json: body).expectErrorEnvelope(.badRequest, "invalid_request")
            }
            let ok = try await client.call(.post, uri, auth: .bearer(ws.key), json: #"""
                {"version":"4","status":"firing","receiver":"r","groupKey":"g","groupLabels":{},"commonLabels":{},"commonAnnotations":{},
                 "externalURL":"","alerts":[\#(alert),{"status":"resolved","labels":{"alertname":"Never"},"annotations":{},
                 "startsAt":"2026-11-30T10:00:00Z","endsAt":"2026-11-30T10:05:00Z","fingerprint":"f00"}]}
                """#)
            #expect(ok.status == .ok, "\(ok.text)")
            #expect(ok.json["created"] as? Int == 1)
            #expect(ok.json["ignored"] as? Int == 1, "a resolve for an alert Vigil never saw is ignored")
        }
    }
}
