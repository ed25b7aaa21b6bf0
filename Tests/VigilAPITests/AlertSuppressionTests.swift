import DeliveryTestFixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore

/// What keeps a notification from going out: silences, acknowledgements, inhibition, routing
/// and channel minimum severity, and the storm guard's single summary.
@Suite(.serialized) struct AlertSuppressionTests {
    @Test func silencesMuteNotificationsButAlertsAreStillStored() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            _ = try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/hook"))
            let silence = try await client.postJSON("/v1/workspaces/\(ws.slug)/silences", key: ws.key, """
                {"matchers":[{"name":"env","op":"=~","value":"stag.*"},{"name":"team","op":"!=","value":"db"}],
                 "ends_at":"2099-01-01T00:00:00Z","comment":"staging is noisy"}
                """)
            #expect(silence["status"] as? String == "active")
            #expect((silence["created_by"] as? String)?.hasPrefix("api_key:") == true)
            let muted = try await client.raiseAlert(ws.slug, key: ws.key, title: "muted", labels: ["env": "staging", "team": "web"]).alert
            let loud = try await client.raiseAlert(ws.slug, key: ws.key, title: "loud", labels: ["env": "staging", "team": "db"]).alert
            let drain = AlertJobDrain(api)
            try await drain.drain()
            let titles = try await receiver.requests().compactMap { ($0.jsonObject?["alert"] as? [String: Any])?["title"] as? String }
            #expect(titles == ["loud"])
            let mutedLedger = try await client.ledger(ws.slug, key: ws.key, alertID: muted.id)
            #expect(mutedLedger.map { $0["status"] as? String } == ["suppressed"])
            #expect(mutedLedger.first?["error"] as? String == "silenced")
            let detail = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts/\(muted.id)", auth: .bearer(ws.key))
            #expect(detail.text.contains("notification_suppressed"), "the timeline says why")
            // Resolving a silenced alert notifies nobody either (nothing was opened).
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/alerts/\(muted.id)/resolve", auth: .bearer(ws.key)).status == .ok)

            // Expire: listed as expired, and the next matching alert is notified.
            let expired = try await client.call(.delete, "/v1/workspaces/\(ws.slug)/silences/\(silence.id)", auth: .bearer(ws.key))
            #expect(expired.status == .ok)
            #expect(expired.json["status"] as? String == "expired")
            let listed = try await client.call(.get, "/v1/workspaces/\(ws.slug)/silences", auth: .bearer(ws.key))
            #expect((listed.json["items"] as? [[String: Any]])?.first?["status"] as? String == "expired")
            _ = try await client.raiseAlert(ws.slug, key: ws.key, title: "after", labels: ["env": "staging", "team": "web"])
            try await drain.drain()
            let after = try await receiver.requests().compactMap { ($0.jsonObject?["alert"] as? [String: Any])?["title"] as? String }
            #expect(after == ["loud", "after"])
            _ = loud

            // Bad silences are refused.
            for body in [#"{"matchers":[],"ends_at":"2099-01-01T00:00:00Z","comment":"c"}"#,
                         #"{"matchers":[{"name":"a","op":"=~","value":"(a)\\1"}],"ends_at":"2099-01-01T00:00:00Z","comment":"c"}"#,
                         #"{"matchers":[{"name":"a","op":"=","value":"b"}],"starts_at":"2099-01-02T00:00:00Z","ends_at":"2099-01-01T00:00:00Z","comment":"c"}"#,
                         #"{"matchers":[{"name":"a","op":"~","value":"b"}],"ends_at":"2099-01-01T00:00:00Z","comment":"c"}"#] {
                try await client.call(.post, "/v1/workspaces/\(ws.slug)/silences", auth: .bearer(ws.key), json: body)
                    .expectErrorEnvelope(.badRequest, "invalid_request")
            }
        }
    }

    @Test func inhibitionMutesTargetsWhileASourceIsTriggered() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            _ = try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/hook"))
            let rule = try await client.postJSON("/v1/workspaces/\(ws.slug)/inhibit-rules", key: ws.key, """
                {"source_matchers":[{"name":"alertname","op":"=","value":"ClusterDown"}],
                 "target_matchers":[{"name":"alertname","op":"!=","value":"ClusterDown"}],"equal":["cluster"]}
                """)
            #expect((rule["equal"] as? [String]) == ["cluster"])
            let source = try await client.raiseAlert(ws.slug, key: ws.key, title: "cluster a down", severity: "critical",
                                                     labels: ["alertname": "ClusterDown", "cluster": "a"]).alert
            let inhibited = try await client.raiseAlert(ws.slug, key: ws.key, title: "pod a", labels: ["alertname": "PodCrash", "cluster": "a"]).alert
            _ = try await client.raiseAlert(ws.slug, key: ws.key, title: "pod b", labels: ["alertname": "PodCrash", "cluster": "b"])
            try await AlertJobDrain(api).drain()
            let titles = try await receiver.requests().compactMap { ($0.jsonObject?["alert"] as? [String: Any])?["title"] as? String }
            #expect(Set(titles) == ["cluster a down", "pod b"])
            #expect(try await client.ledger(ws.slug, key: ws.key, alertID: inhibited.id).first?["error"] as? String == "inhibited")

            // Once the source resolves, a new target alert in cluster a is notified again.
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/alerts/\(source.id)/resolve", auth: .bearer(ws.key)).status == .ok)
            _ = try await client.raiseAlert(ws.slug, key: ws.key, title: "pod a again", labels: ["alertname": "DiskFull", "cluster": "a"])
            try await AlertJobDrain(api).drain()
            let later = try await receiver.requests().compactMap { ($0.jsonObject?["alert"] as? [String: Any])?["title"] as? String }
            #expect(later.contains("pod a again"))
            // Invalid rules are refused.
            try await client.call(.post, "/v1/workspaces/\(ws.slug)/inhibit-rules", auth: .bearer(ws.key),
                                  json: #"{"source_matchers":[],"target_matchers":[{"name":"a","op":"=","value":"b"}]}"#)
                .expectErrorEnvelope(.badRequest, "invalid_request")
        }
    }

    @Test func routesAndMinimumSeverityChooseChannels() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let pager = try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/pager"), name: "pager", minSeverity: "high")
            _ = try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/chat"), name: "chat")
            let dbOnly = try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/db"), name: "db")
            _ = try await client.postJSON("/v1/workspaces/\(ws.slug)/routes", key: ws.key, """
                {"position":1,"matchers":[{"name":"team","op":"=","value":"db"}],"channel_ids":["\(dbOnly)","\(pager)"]}
                """)
            func paths(after body: () async throws -> Void) async throws -> [String] {
                let before = try await receiver.requests().count
                try await body()
                try await AlertJobDrain(api).drain()
                return try await receiver.requests().dropFirst(before).map(\.path).sorted()
            }
            // Team db, critical: the route's channels.
            #expect(try await paths { _ = try await client.raiseAlert(ws.slug, key: ws.key, title: "a", severity: "critical", labels: ["team": "db"]) }
                    == ["/db", "/pager"])
            // Team db, low: the route matches but the pager's minimum severity drops it.
            #expect(try await paths { _ = try await client.raiseAlert(ws.slug, key: ws.key, title: "b", severity: "low", labels: ["team": "db"]) }
                    == ["/db"])
            // No route matches: every channel whose minimum severity allows it.
            #expect(try await paths { _ = try await client.raiseAlert(ws.slug, key: ws.key, title: "c", severity: "medium", labels: ["team": "web"]) }
                    == ["/chat", "/db"])
            #expect(try await paths { _ = try await client.raiseAlert(ws.slug, key: ws.key, title: "d", severity: "high", labels: ["team": "web"]) }
                    == ["/chat", "/db", "/pager"])
        }
    }

    @Test func aStormSendsOneSummaryInsteadOfEveryAlert() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let patch = try await client.call(.patch, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key),
                                              json: #"{"settings":{"alerting":{"storm_threshold":3,"group_by":["service"]}}}"#)
            #expect(patch.status == .ok, "\(patch.text)")
            _ = try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/hook"))
            // Fired inside one minute of the test clock (a minute boundary between them would split
            // the storm): start 5 s into a minute, however slow the run.
            let second = api.clock.now.timeIntervalSince1970.truncatingRemainder(dividingBy: 60)
            api.clock.advance(by: (65 - second).truncatingRemainder(dividingBy: 60))
            for i in 0..<12 {
                _ = try await client.raiseAlert(ws.slug, key: ws.key, title: "storm \(i)", labels: ["service": i < 7 ? "api" : "db"])
            }
            let list = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?limit=50", auth: .bearer(ws.key))
            let alerts = try #require(list.json["items"] as? [[String: Any]])
            #expect(alerts.count == 12, "every alert is stored")
            let held = alerts.filter { $0["storm_suppressed"] as? Bool == true }.count
            let drain = AlertJobDrain(api)
            #expect(try await drain.pending(kind: AlertJobs.StormSummaryArgs.kind) == 1, "one summary job per minute")
            try await drain.drain(advancingTime: true)
            let bodies = try await receiver.requests().compactMap(\.jsonObject)
            let individual = bodies.filter { $0["event"] as? String == "triggered" }
            let summaries = bodies.filter { $0["event"] as? String == "storm_summary" }
            #expect(individual.count + held == 12)
            #expect(individual.count >= 3 && individual.count <= 6, "3 per minute (a minute boundary may let 3 more through): \(individual.count)")
            #expect(summaries.count == (held > 0 ? 1 : 0) || summaries.count == 2, "one summary per storm minute: \(summaries.count)")
            let summary = try #require(summaries.first)
            let totals = summaries.compactMap { $0["count"] as? Int }.reduce(0, +)
            #expect(totals == held, "\(summary)")
            let groups = try #require(summary["top_groups"] as? [[String: Any]])
            #expect(!groups.isEmpty && groups.allSatisfy { ($0["key"] as? String)?.contains("service=") == true }, "\(groups)")
            #expect(groups.compactMap { $0["count"] as? Int }.reduce(0, +) + (summary["other_group_count"] as? Int ?? 0) >= 1)
        }
    }
}
