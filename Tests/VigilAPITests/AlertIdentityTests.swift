import DeliveryTestFixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore

/// The dedup-hijack scenarios: what a key that may only write alerts could do to pages it
/// did not raise.
@Suite struct AlertIdentityTests {
    @Test func clientKeysCannotTakeVigilsNamespacesOrADerivedFingerprint() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let ingest = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "ingest")
            let derived = AlertFingerprint.derived(source: "tests", title: "Disk full", labels: [:])
            for key in ["slo:3f2a:burn", "alertmanager:0f00", "SLO:x", "vigil:x", "rule:1", derived] {
                for caller in [ingest.key, ws.key] {
                    let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(caller),
                                                      json: #"{"title":"Disk full","severity":"low","source":"tests","dedup_key":"\#(key)"}"#)
                    reply.expectErrorEnvelope(.badRequest, "invalid_request")
                    #expect((reply.json["error"] as? [String: Any]).flatMap { $0["details"] as? [String: Any] }?["field"] as? String == "dedup_key")
                }
            }
            // The alert whose identity Vigil derived is untouched by any of it.
            let real = try await client.raiseAlert(ws.slug, key: ws.key, title: "Disk full", severity: "critical")
            #expect(real.alert["fingerprint"] as? String == derived)
            #expect(real.alert["occurrence_count"] as? Int == 1)
        }
    }

    @Test func ingestKeysLearnTheOutcomeAndIdNotTheStoredAlert() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let ingest = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "ingest")
            let first = try await client.raiseAlert(ws.slug, key: ws.key, title: "Payments <secret detail>", extra: #","dedup_key":"pay-1""#)
            let id = try #require(first.alert["id"] as? String)
            #expect(first["id"] as? String == id)
            let repeatByIngest = try await client.raiseAlert(ws.slug, key: ingest.key, title: "anything", extra: #","dedup_key":"pay-1""#,
                                                             expect: .ok)
            #expect(repeatByIngest["outcome"] as? String == "deduplicated")
            #expect(repeatByIngest["id"] as? String == id)
            #expect(repeatByIngest["alert"] == nil, "the write-only key does not read the alert it joined")
            let created = try await client.raiseAlert(ws.slug, key: ingest.key, title: "New", extra: #","dedup_key":"pay-2""#)
            #expect(created["outcome"] as? String == "created" && created["alert"] == nil && (created["id"] as? String)?.count == 36)
        }
    }

    @Test func aMoreSevereRepeatRaisesTheAlertAndNotifies() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let ingest = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "ingest")
            _ = try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/pager"), minSeverity: "high")
            // Someone raises the key first at a severity no channel is told about…
            _ = try await client.raiseAlert(ws.slug, key: ingest.key, title: "DB down", severity: "low", extra: #","dedup_key":"db-down""#)
            let drain = AlertJobDrain(api)
            try await drain.drain()
            #expect(try await receiver.requests().isEmpty, "below the channel's minimum severity")
            // …and the real, critical submission joins it: it must still page.
            let joined = try await client.raiseAlert(ws.slug, key: ws.key, title: "DB down", severity: "critical",
                                                     extra: #","dedup_key":"db-down""#, expect: .ok)
            #expect(joined["outcome"] as? String == "deduplicated")
            #expect(joined.alert["severity"] as? String == "critical")
            try await drain.drain()
            let pages = try await receiver.requests().filter { $0.path == "/pager" }
            #expect(pages.count == 1)
            #expect(pages.first?.jsonObject?["event"] as? String == "escalated")
            let details = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts/\(joined.alert.id)", auth: .bearer(ws.key))
            let raised = (details.json["timeline"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "severity_raised" }
            #expect(raised.count == 1)
            #expect((raised.first?["details"] as? [String: String]) == ["from": "low", "to": "critical"])
            // A less severe repeat changes nothing but the count.
            let lower = try await client.raiseAlert(ws.slug, key: ingest.key, title: "DB down", severity: "medium",
                                                    extra: #","dedup_key":"db-down""#, expect: .ok)
            #expect(lower["outcome"] as? String == "deduplicated")
            let after = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts/\(joined.alert.id)", auth: .bearer(ws.key))
            #expect((after.json["alert"] as? [String: Any])?["severity"] as? String == "critical")
        }
    }

    @Test func onlyKeysThatMayResolveCanResolveThroughAlertmanager() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let ingest = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "ingest")
            let member = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "member")
            let uri = "/v1/workspaces/\(ws.slug)/integrations/alertmanager"
            func payload(_ status: String) -> String {
                #"""
                {"version":"4","status":"\#(status)","receiver":"r","groupKey":"g","groupLabels":{},"commonLabels":{},"commonAnnotations":{},
                 "externalURL":"","alerts":[{"status":"\#(status)","labels":{"alertname":"Down"},"annotations":{},
                 "startsAt":"2026-11-30T10:00:00Z","endsAt":"2026-11-30T10:05:00Z","fingerprint":"f1"}]}
                """#
            }
            let firing = try await client.call(.post, uri, auth: .bearer(ingest.key), json: payload("firing"))
            #expect(firing.status == .ok && firing.json["created"] as? Int == 1, "\(firing.text)")
            let byIngest = try await client.call(.post, uri, auth: .bearer(ingest.key), json: payload("resolved"))
            #expect(byIngest.status == .ok)
            #expect(byIngest.json["refused"] as? Int == 1 && byIngest.json["resolved"] as? Int == 0)
            let open = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?state=triggered", auth: .bearer(ws.key))
            #expect((open.json["items"] as? [Any])?.count == 1, "the page stays open")
            let byMember = try await client.call(.post, uri, auth: .bearer(member.key), json: payload("resolved"))
            #expect(byMember.json["resolved"] as? Int == 1 && byMember.json["refused"] as? Int == 0, "\(byMember.text)")
        }
    }
}
