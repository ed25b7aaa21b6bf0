import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore

/// The alert lifecycle through the API: transitions, idempotency, illegal moves, timeline,
/// compare-and-set under concurrency, deduplication and tenancy.
struct AlertLifecycleTests {
    @Test func fullLifecycleWithTimelineAndIdempotentTransitions() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let submitted = try await client.raiseAlert(ws.slug, key: ws.key, severity: "warning", labels: ["alertname": "DiskFull", "host": "db-1"],
                                                        extra: #","message":"/var at 93%","annotations":{"runbook":"https://r/1"}"#)
            #expect(submitted["outcome"] as? String == "created")
            let alert = submitted.alert
            let id = alert.id
            #expect(alert["state"] as? String == "triggered")
            #expect(alert["severity"] as? String == "medium", "warning is a synonym of medium")
            #expect((alert["fingerprint"] as? String)?.count == 64)
            let base = "/v1/workspaces/\(ws.slug)/alerts/\(id)"

            let acked = try await client.call(.post, "\(base)/acknowledge", auth: .bearer(ws.key), json: #"{"note":"looking"}"#)
            #expect(acked.status == .ok, "\(acked.text)")
            #expect(acked.json["state"] as? String == "acknowledged")
            #expect((acked.json["acknowledged_by"] as? String)?.hasPrefix("api_key:") == true)
            let again = try await client.call(.post, "\(base)/acknowledge", auth: .bearer(ws.key))
            #expect(again.status == .ok)
            #expect(again.json["version"] as? Int == acked.json["version"] as? Int, "a repeated acknowledge changes nothing")

            let resolved = try await client.call(.post, "\(base)/resolve", auth: .bearer(ws.key), json: #"{"note":"cleaned up"}"#)
            #expect(resolved.json["state"] as? String == "resolved")
            #expect(resolved.json["resolved_at"] is String)
            try await client.call(.post, "\(base)/acknowledge", auth: .bearer(ws.key)).expectErrorEnvelope(.conflict, "conflict")
            try await client.call(.post, "\(base)/escalate", auth: .bearer(ws.key)).expectErrorEnvelope(.conflict, "conflict")
            #expect(try await client.call(.post, "\(base)/resolve", auth: .bearer(ws.key)).status == .ok)

            let reopened = try await client.call(.post, "\(base)/reopen", auth: .bearer(ws.key), json: #"{"note":"back"}"#)
            #expect(reopened.json["state"] as? String == "triggered")
            #expect(reopened.json["resolved_at"] is NSNull || reopened.json["resolved_at"] == nil)
            let escalated = try await client.call(.post, "\(base)/escalate", auth: .bearer(ws.key))
            #expect(escalated.status == .ok, "\(escalated.text)")

            let detail = try await client.call(.get, base, auth: .bearer(ws.key))
            #expect(detail.status == .ok)
            let timeline = try #require(detail.json["timeline"] as? [[String: Any]])
            #expect(timeline.map { $0["kind"] as? String } == ["triggered", "acknowledged", "resolved", "reopened", "escalated"])
            #expect(timeline[1]["note"] as? String == "looking")
            #expect(timeline[2]["from_state"] as? String == "acknowledged")
            #expect(timeline[2]["to_state"] as? String == "resolved")
            #expect(timeline[3]["note"] as? String == "back")
            #expect(timeline.allSatisfy { ($0["actor"] as? String)?.hasPrefix("api_key:") == true })
            #expect(detail.json["notifications"] is [Any])
            let labels = (detail.json["alert"] as? [String: Any])?["labels"] as? [String: String]
            #expect(labels == ["alertname": "DiskFull", "host": "db-1"])
        }
    }

    @Test func concurrentAcknowledgeAndResolveStayConsistent() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            for round in 0..<3 {
                let id = try await client.raiseAlert(ws.slug, key: ws.key, title: "race \(round)").alert.id
                let base = "/v1/workspaces/\(ws.slug)/alerts/\(id)"
                let statuses = try await withThrowingTaskGroup(of: (String, HTTPResponse.Status).self) { group in
                    for i in 0..<16 {
                        let action = i.isMultiple(of: 2) ? "acknowledge" : "resolve"
                        group.addTask { (action, try await client.call(.post, "\(base)/\(action)", auth: .bearer(ws.key)).status) }
                    }
                    return try await group.reduce(into: [(String, HTTPResponse.Status)]()) { $0.append($1) }
                }
                // Resolve always applies (or is a no-op); acknowledge after resolve is the only refusal.
                #expect(statuses.allSatisfy { $0.1 == .ok || ($0.0 == "acknowledge" && $0.1 == .conflict) }, "\(statuses)")
                let detail = try await client.call(.get, base, auth: .bearer(ws.key))
                let alert = try #require(detail.json["alert"] as? [String: Any])
                let kinds = (detail.json["timeline"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
                #expect(alert["state"] as? String == "resolved")
                #expect(kinds.filter { $0 == "resolved" }.count == 1, "\(kinds)")
                #expect(kinds.filter { $0 == "acknowledged" }.count <= 1, "\(kinds)")
                // Every applied change bumped the version exactly once.
                #expect(alert["version"] as? Int == kinds.count, "version \(alert["version"] ?? "-") vs \(kinds)")
            }
        }
    }

    @Test func deduplicatesWhileOpenReopensWithinTheWindowAndOpensNewAfterIt() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let first = try await client.raiseAlert(ws.slug, key: ws.key, labels: ["b": "2", "a": "1"])
            let second = try await client.raiseAlert(ws.slug, key: ws.key, labels: ["a": "1", "b": "2"], expect: .ok)
            #expect(second["outcome"] as? String == "deduplicated")
            #expect(second.alert.id == first.alert.id)
            #expect(second.alert["occurrence_count"] as? Int == 2)
            // Different labels: another fingerprint.
            let other = try await client.raiseAlert(ws.slug, key: ws.key, labels: ["a": "1", "b": "3"])
            #expect(other.alert.id != first.alert.id)
            // An explicit dedup_key wins over title and labels.
            let keyed = try await client.raiseAlert(ws.slug, key: ws.key, title: "one", extra: #","dedup_key":"svc-42""#)
            let keyedAgain = try await client.raiseAlert(ws.slug, key: ws.key, title: "another title", extra: #","dedup_key":"svc-42""#, expect: .ok)
            #expect(keyedAgain.alert.id == keyed.alert.id)

            let id = first.alert.id
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/alerts/\(id)/resolve", auth: .bearer(ws.key)).status == .ok)
            let reopened = try await client.raiseAlert(ws.slug, key: ws.key, labels: ["a": "1", "b": "2"], expect: .ok)
            #expect(reopened["outcome"] as? String == "reopened")
            #expect(reopened.alert.id == id)
            #expect(reopened.alert["state"] as? String == "triggered")
            #expect(reopened.alert["occurrence_count"] as? Int == 3)

            // With a zero window, a resolved fingerprint opens a new alert.
            let patch = try await client.call(.patch, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key),
                                              json: #"{"settings":{"alerting":{"dedup_window_seconds":0}}}"#)
            #expect(patch.status == .ok, "\(patch.text)")
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/alerts/\(id)/resolve", auth: .bearer(ws.key)).status == .ok)
            let fresh = try await client.raiseAlert(ws.slug, key: ws.key, labels: ["a": "1", "b": "2"])
            #expect(fresh["outcome"] as? String == "created")
            #expect(fresh.alert.id != id)
            #expect(fresh.alert["fingerprint"] as? String == first.alert["fingerprint"] as? String)
        }
    }

    @Test func concurrentSubmissionsOfOneFingerprintMakeOneAlert() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(ws.key),
                                                          json: #"{"title":"same","severity":"low","source":"s","dedup_key":"k"}"#)
                        return "\(reply.status.code):\((reply.json["outcome"] as? String) ?? reply.text)"
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "201:created" }.count == 1, "\(outcomes)")
            #expect(outcomes.filter { $0 == "200:deduplicated" }.count == 11, "\(outcomes)")
            let list = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(ws.key))
            let items = try #require(list.json["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items.first?["occurrence_count"] as? Int == 12)
        }
    }

    @Test func listingFiltersAndPages() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            for i in 0..<5 {
                _ = try await client.raiseAlert(ws.slug, key: ws.key, title: "a\(i)", severity: i < 2 ? "critical" : "low",
                                                labels: ["env": i.isMultiple(of: 2) ? "prod" : "dev"])
            }
            func ids(_ query: String) async throws -> [String] {
                let reply = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts\(query)", auth: .bearer(ws.key))
                #expect(reply.status == .ok, "\(query): \(reply.text)")
                return (reply.json["items"] as? [[String: Any]] ?? []).map { $0["title"] as? String ?? "" }
            }
            #expect(try await ids("") == ["a4", "a3", "a2", "a1", "a0"])
            #expect(try await ids("?severity=critical") == ["a1", "a0"])
            #expect(try await ids("?label=env=prod") == ["a4", "a2", "a0"])
            #expect(try await ids("?label=env=prod&severity=critical") == ["a0"])
            #expect(try await ids("?state=resolved") == [])
            #expect(try await ids("?source=tests").count == 5)
            let page = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?limit=2", auth: .bearer(ws.key))
            let cursor = try #require(page.json["next_cursor"] as? String)
            #expect(try await ids("?limit=2&cursor=\(cursor)") == ["a2", "a1"])
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?label=novalue", auth: .bearer(ws.key))
                .expectErrorEnvelope(.badRequest, "invalid_request")
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?state=exploded", auth: .bearer(ws.key))
                .expectErrorEnvelope(.badRequest, "invalid_request")
        }
    }

    @Test func badInputGetsAClearFourHundred() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let uri = "/v1/workspaces/\(ws.slug)/alerts"
            let cases = [
                #"{"title":"","severity":"high","source":"s"}"#,
                #"{"title":"t","severity":"apocalyptic","source":"s"}"#,
                #"{"title":"t","severity":"high"}"#,
                #"{"title":"t","severity":"high","source":"s","labels":{"bad name":"x"}}"#,
                #"{"title":"t","severity":"high","source":"s","labels":{"k":"\#(String(repeating: "v", count: 1025))"}}"#,
                #"{"title":"t","severity":"high","source":"s","dedup_key":""}"#,
                #"{"title":"t","severity":"high","source":"s","escalation_policy":"3f1c0e9a-0000-4000-8000-000000000000"}"#,
                #"{"title":"t","severity":"high","source":"s","surprise":1}"#,
                #"{"title":"t\u0000x","severity":"high","source":"s"}"#,
                #"not json"#,
            ]
            for body in cases {
                let reply = try await client.call(.post, uri, auth: .bearer(ws.key), json: body)
                reply.expectErrorEnvelope(.badRequest, "invalid_request")
            }
            let list = try await client.call(.get, uri, auth: .bearer(ws.key))
            #expect((list.json["items"] as? [Any])?.isEmpty == true, "nothing was stored")
            let id = "3f1c0e9a-0000-4000-8000-000000000000"
            try await client.call(.get, "\(uri)/\(id)", auth: .bearer(ws.key)).expectErrorEnvelope(.notFound, "not_found")
            try await client.call(.get, "\(uri)/not-a-uuid", auth: .bearer(ws.key)).expectErrorEnvelope(.badRequest, "invalid_request")
            try await client.call(.post, "\(uri)/\(id)/resolve", auth: .bearer(ws.key), json: #"{"note":"\#(String(repeating: "n", count: 2001))"}"#)
                .expectErrorEnvelope(.badRequest, "invalid_request")
        }
    }

    @Test func tenantsNeverSeeOrTouchEachOthersAlerts() async throws {
        try await TestAPI.run { _, client in
            let a = try await client.createWorkspace()
            let b = try await client.createWorkspace()
            let id = try await client.raiseAlert(a.slug, key: a.key, labels: ["secret": "a-only"]).alert.id
            // B's key, B's path, A's alert id: as if it did not exist.
            try await client.call(.get, "/v1/workspaces/\(b.slug)/alerts/\(id)", auth: .bearer(b.key)).expectErrorEnvelope(.notFound, "not_found")
            for action in ["acknowledge", "resolve", "reopen", "escalate"] {
                try await client.call(.post, "/v1/workspaces/\(b.slug)/alerts/\(id)/\(action)", auth: .bearer(b.key))
                    .expectErrorEnvelope(.notFound, "not_found")
            }
            let listB = try await client.call(.get, "/v1/workspaces/\(b.slug)/alerts", auth: .bearer(b.key))
            #expect(!listB.text.contains("a-only"))
            let ledgerB = try await client.call(.get, "/v1/workspaces/\(b.slug)/notifications?alert_id=\(id)", auth: .bearer(b.key))
            #expect((ledgerB.json["items"] as? [Any])?.isEmpty == true)
            // The same fingerprint in B is B's own alert.
            let inB = try await client.raiseAlert(b.slug, key: b.key, labels: ["secret": "a-only"])
            #expect(inB["outcome"] as? String == "created")
            let stillA = try await client.call(.get, "/v1/workspaces/\(a.slug)/alerts/\(id)", auth: .bearer(a.key))
            #expect((stillA.json["alert"] as? [String: Any])?["occurrence_count"] as? Int == 1)
        }
    }
}
