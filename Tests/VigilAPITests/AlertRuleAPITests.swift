import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilServices

/// Alert rules end to end: points ingested → rollups → the rule pending, firing after `for`,
/// an alert with rendered annotations → resolved when the condition clears; and the API around
/// it (roles, validation, tenancy, presets, backtests, the per-workspace fan-out).
struct AlertRuleAPITests {
    static let errorRule = #"""
        {"name":"Errors","metric":"http.request.duration","matchers":[{"name":"status","op":"=~","value":"5.."}],
         "statistic":"count","window_minutes":2,"comparison":">","threshold":3,"for_minutes":2,"group_by":["endpoint"],
         "severity":"critical","labels":{"team":"web"},
         "annotations":{"summary":"5xx on {{ $labels.endpoint }}","description":"{{ $value }} errors in 2 minutes"}}
        """#

    static func ingest(_ client: some TestClientProtocol, _ ws: (id: String, slug: String, key: String),
                       _ points: [(status: String, endpoint: String, count: Int)]) async throws {
        var body: [[String: Any]] = []
        for point in points {
            for _ in 0..<point.count {
                body.append(["name": "http.request.duration", "kind": "timing", "value": 12,
                             "tags": ["status": point.status, "endpoint": point.endpoint]])
            }
        }
        let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: try metricBody(body))
        #expect(reply.status == .ok, "\(reply.text)")
    }

    static func groups(_ status: Reply) -> [String: [String: Any]] {
        var byEndpoint: [String: [String: Any]] = [:]
        for group in status.json["groups"] as? [[String: Any]] ?? [] {
            byEndpoint[(group["labels"] as? [String: String])?["endpoint"] ?? ""] = group
        }
        return byEndpoint
    }

    @Test func aRuleFiresAfterForWithRenderedAnnotationsAndResolvesWhenTheConditionClears() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let created = try await client.call(.post, "/v1/workspaces/\(ws.slug)/alert-rules", auth: .bearer(ws.key), json: Self.errorRule)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            let workspace = try await api.services.workspaces.find(reference: ws.slug)
            let evaluator = api.services.alertRuleEvaluator

            try await Self.ingest(client, ws, [("500", "/api/a", 5), ("200", "/api/a", 20), ("503", "/api/c", 1)])
            #expect(try await evaluator.evaluate(in: workspace) == .init(rules: 1, fired: 0, resolved: 0, failed: 0))
            var status = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alert-rules/\(id)/status", auth: .bearer(ws.key))
            #expect((status.json["rule"] as? [String: Any]).flatMap { $0["last_evaluation"] as? [String: Any] }?["state"] as? String == "pending")
            #expect(Self.groups(status)["/api/a"]?["state"] as? String == "pending")
            #expect(Self.groups(status)["/api/a"]?["value"] as? Double == 5)
            #expect(Self.groups(status)["/api/c"]?["state"] as? String == "inactive", "a group under the threshold is shown with its value")

            api.clock.advance(by: 60)
            try await Self.ingest(client, ws, [("500", "/api/a", 5)])
            #expect(try await evaluator.evaluate(in: workspace).fired == 0, "one minute of two: still pending")
            api.clock.advance(by: 60)
            try await Self.ingest(client, ws, [("500", "/api/a", 5)])
            #expect(try await evaluator.evaluate(in: workspace).fired == 1)
            #expect(try await evaluator.evaluate(in: workspace).fired == 0, "a firing group raises its alert once")

            let alerts = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(ws.key))
            let items = try #require(alerts.json["items"] as? [[String: Any]])
            #expect(items.count == 1)
            let alert = try #require(items.first)
            #expect(alert["title"] as? String == "5xx on /api/a")
            #expect(alert["severity"] as? String == "critical")
            #expect(alert["source"] as? String == "alert-rule")
            let labels = try #require(alert["labels"] as? [String: String])
            #expect(labels == ["alertname": "Errors", "rule_id": id, "endpoint": "/api/a", "team": "web"])
            #expect((alert["annotations"] as? [String: String])?["description"] == "15 errors in 2 minutes")
            status = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alert-rules/\(id)/status", auth: .bearer(ws.key))
            #expect(Self.groups(status)["/api/a"]?["state"] as? String == "firing")
            #expect(Self.groups(status)["/api/a"]?["alert_id"] as? String == alert["id"] as? String)

            // Nothing in the window any more: the group's condition no longer holds.
            api.clock.advance(by: 240)
            #expect(try await evaluator.evaluate(in: workspace) == .init(rules: 1, fired: 0, resolved: 1, failed: 0))
            let resolved = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts/\(alert["id"] as! String)", auth: .bearer(ws.key))
            #expect(((resolved.json["alert"] as? [String: Any]) ?? resolved.json)["state"] as? String == "resolved", "\(resolved.text)")
            status = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alert-rules/\(id)/status", auth: .bearer(ws.key))
            #expect((status.json["rule"] as? [String: Any]).flatMap { $0["last_evaluation"] as? [String: Any] }?["state"] as? String == "no_data")
        }
    }

    @Test func rolesValidationAndNamesAreEnforced() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let viewer = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer").key
            let path = "/v1/workspaces/\(ws.slug)/alert-rules"
            try await client.call(.post, path, auth: .bearer(viewer), json: Self.errorRule).expectErrorEnvelope(.forbidden, "forbidden")
            #expect(try await client.call(.post, path, auth: .bearer(ws.key), json: Self.errorRule).status == .created)
            try await client.call(.post, path, auth: .bearer(ws.key), json: Self.errorRule).expectErrorEnvelope(.conflict, "conflict")
            let list = try await client.call(.get, path, auth: .bearer(viewer))
            #expect((list.json["items"] as? [[String: Any]])?.count == 1)
            for bad in [
                #"{"name":"x","metric":"m","statistic":"p95","denominator":{},"comparison":">","threshold":1}"#,
                #"{"name":"x","metric":"m","statistic":"count","comparison":">","threshold":1,"annotations":{"summary":"{{ .Value }}"}}"#,
                #"{"name":"x","metric":"m","statistic":"count","comparison":">","threshold":1,"labels":{"rule_id":"mine"}}"#,
                #"{"name":"x","metric":"m","statistic":"count","comparison":">","threshold":1,"group_by":["a","a"]}"#,
                #"{"name":"x","metric":"m","statistic":"count","comparison":">","threshold":1,"matchers":[{"name":"a","op":"=~","value":"(a+)+\\1"}]}"#,
                #"{"name":"x","metric":"m","statistic":"median","comparison":">","threshold":1}"#,
            ] {
                let reply = try await client.call(.post, path, auth: .bearer(ws.key), json: bad)
                #expect(reply.status == .badRequest, "\(bad) → \(reply.status) \(reply.text)")
            }
        }
    }

    @Test func anotherWorkspacesRuleIsNotFoundWhateverTheCaller() async throws {
        try await TestAPI.run { _, client in
            let owner = try await client.createWorkspace(), other = try await client.createWorkspace()
            let created = try await client.call(.post, "/v1/workspaces/\(owner.slug)/alert-rules", auth: .bearer(owner.key), json: Self.errorRule)
            let id = try #require(created.json["id"] as? String)
            for (method, suffix) in [(HTTPRequest.Method.get, ""), (.get, "/status"), (.delete, "")] {
                try await client.call(method, "/v1/workspaces/\(other.slug)/alert-rules/\(id)\(suffix)", auth: .bearer(other.key))
                    .expectErrorEnvelope(.notFound, "not_found")
            }
            try await client.call(.put, "/v1/workspaces/\(other.slug)/alert-rules/\(id)", auth: .bearer(other.key), json: Self.errorRule)
                .expectErrorEnvelope(.notFound, "not_found")
            #expect(try await client.call(.get, "/v1/workspaces/\(owner.slug)/alert-rules/\(id)", auth: .bearer(owner.key)).status == .ok)
        }
    }

    @Test func disablingOrDeletingARuleResolvesItsAlerts() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let rule = #"{"name":"Any","metric":"http.request.duration","statistic":"count","comparison":">","threshold":0}"#
            let id = try #require(try await client.call(.post, "/v1/workspaces/\(ws.slug)/alert-rules", auth: .bearer(ws.key), json: rule).json["id"] as? String)
            try await Self.ingest(client, ws, [("200", "/", 1)])
            let workspace = try await api.services.workspaces.find(reference: ws.slug)
            #expect(try await api.services.alertRuleEvaluator.evaluate(in: workspace).fired == 1)
            let disabled = rule.replacingOccurrences(of: #""name":"Any""#, with: #""name":"Any","enabled":false"#)
            let updated = try await client.call(.put, "/v1/workspaces/\(ws.slug)/alert-rules/\(id)", auth: .bearer(ws.key), json: disabled)
            #expect(updated.status == .ok, "\(updated.text)")
            #expect((updated.json["definition"] as? [String: Any])?["enabled"] as? Bool == false)
            let open = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?state=triggered", auth: .bearer(ws.key))
            #expect((open.json["items"] as? [[String: Any]])?.isEmpty == true, "\(open.text)")
            #expect(try await api.services.alertRuleEvaluator.evaluate(in: workspace).rules == 0, "a disabled rule is not evaluated")
            #expect(try await client.call(.delete, "/v1/workspaces/\(ws.slug)/alert-rules/\(id)", auth: .bearer(ws.key)).status == .noContent)
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/alert-rules/\(id)", auth: .bearer(ws.key)).expectErrorEnvelope(.notFound, "not_found")
        }
    }

    @Test func presetsAreListedAndEnabledWithOverrides() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let presets = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alert-rules/presets", auth: .bearer(ws.key))
            let names = (presets.json["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == AlertRulePresets.all.map(\.name), "\(presets.text)")
            let enabled = try await client.call(.post, "/v1/workspaces/\(ws.slug)/alert-rules/presets/high-error-rate", auth: .bearer(ws.key),
                                                json: #"{"threshold":0.5,"group_by":["endpoint"]}"#)
            #expect(enabled.status == .created, "\(enabled.text)")
            let definition = try #require(enabled.json["definition"] as? [String: Any])
            #expect(definition["name"] as? String == "HighErrorRate" && definition["threshold"] as? Double == 0.5)
            #expect(definition["group_by"] as? [String] == ["endpoint"] && definition["for_minutes"] as? Int == 5)
            let plain = try await client.call(.post, "/v1/workspaces/\(ws.slug)/alert-rules/presets/slow-response-times", auth: .bearer(ws.key))
            #expect(plain.status == .created, "\(plain.text)")
            try await client.call(.post, "/v1/workspaces/\(ws.slug)/alert-rules/presets/no-such-preset", auth: .bearer(ws.key))
                .expectErrorEnvelope(.notFound, "not_found")
        }
    }

    @Test func aBacktestAnswersWhenTheRuleWouldHaveFired() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let start = RollupResolution.minute.bucketStart(api.clock.now)
            // Errors in minutes 1–5 of the next ten; then the backtest runs over those ten minutes.
            for minute in 0..<10 {
                if (1...5).contains(minute) { try await Self.ingest(client, ws, [("500", "/api/a", 4)]) }
                api.clock.advance(by: 60)
            }
            let rule = #"{"name":"t","metric":"http.request.duration","matchers":[{"name":"status","op":"=","value":"500"}],"#
                + #""statistic":"count","window_minutes":1,"comparison":">=","threshold":4,"for_minutes":2,"group_by":["endpoint"]}"#
            let iso = ISO8601DateFormatter()
            let body = #"{"rule":\#(rule),"from":"\#(iso.string(from: start))","to":"\#(iso.string(from: start.addingTimeInterval(600)))"}"#
            let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/alert-rules/test", auth: .bearer(ws.key), json: body)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json["evaluations"] as? Int == 10)
            #expect((reply.json["from"] as? String).flatMap(RFC3339.parse) == start)
            #expect((reply.json["to"] as? String).flatMap(RFC3339.parse) == start.addingTimeInterval(600))
            let events = try #require(reply.json["events"] as? [[String: Any]])
            #expect(events.count == 1, "\(reply.text)")
            // Holds from minute 1 through 6 (the window keeps minute 5 at minute 6): fires at 3, resolves at 7.
            #expect((events.first?["fired_at"] as? String).flatMap(RFC3339.parse) == start.addingTimeInterval(180))
            #expect((events.first?["resolved_at"] as? String).flatMap(RFC3339.parse) == start.addingTimeInterval(420))
            #expect((events.first?["labels"] as? [String: String]) == ["endpoint": "/api/a"])
            // Nothing was saved.
            let list = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alert-rules", auth: .bearer(ws.key))
            #expect((list.json["items"] as? [[String: Any]])?.isEmpty == true)
            let tooLong = #"{"rule":\#(rule),"from":"2026-01-01T00:00:00Z","to":"2026-01-09T00:00:00Z"}"#
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/alert-rules/test", auth: .bearer(ws.key), json: tooLong).status == .badRequest)
        }
    }

    @Test func theFanOutEnqueuesOneEvaluationPerWorkspaceWithEnabledRules() async throws {
        try await TestAPI.run { api, client in
            let withRules = try await client.createWorkspace(), without = try await client.createWorkspace()
            #expect(try await client.call(.post, "/v1/workspaces/\(withRules.slug)/alert-rules", auth: .bearer(withRules.key), json: Self.errorRule).status == .created)
            #expect(try await api.workerServices.alertRuleEvaluator.dispatch() == 1)
            #expect(try await api.workerServices.alertRuleEvaluator.dispatch() == 0, "the pending evaluation is not enqueued twice")
            for (ws, expected) in [(withRules, 1), (without, 0)] {
                let jobs = try await api.workerServices.jobs.listAll(workspaceID: UUID(uuidString: ws.id)!,
                                                               filter: JobFilter(state: nil, kind: AlertRuleJobs.EvaluateArgs.kind), beforeID: nil, limit: 10)
                #expect(jobs.count == expected)
            }
        }
    }

    /// A rule a tenant writes cannot make evaluation unbounded: past 1,000 groups it records an
    /// error, and the workspace's other rules are still evaluated.
    @Test func aRuleWithTooManyGroupsFailsAloneWithItsErrorRecorded() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let points = (0..<1_001).map { ["name": "hits", "kind": "counter", "value": 1, "tags": ["user": "u\($0)"]] as [String: Any] }
            for start in stride(from: 0, to: points.count, by: 250) {  // the tests' body limit is 64 KiB
                let batch = Array(points[start..<min(start + 250, points.count)])
                let ingested = try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: try metricBody(batch))
                #expect(ingested.status == .ok, "\(ingested.text)")
            }
            let wide = #"{"name":"Wide","metric":"hits","statistic":"sum","comparison":">","threshold":0,"group_by":["user"]}"#
            let narrow = #"{"name":"Narrow","metric":"hits","statistic":"sum","comparison":">","threshold":0}"#
            let wideID = try #require(try await client.call(.post, "/v1/workspaces/\(ws.slug)/alert-rules", auth: .bearer(ws.key), json: wide).json["id"] as? String)
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/alert-rules", auth: .bearer(ws.key), json: narrow).status == .created)
            let report = try await api.services.alertRuleEvaluator.evaluate(in: try await api.services.workspaces.find(reference: ws.slug))
            #expect(report == .init(rules: 2, fired: 1, resolved: 0, failed: 1))
            let rule = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alert-rules/\(wideID)", auth: .bearer(ws.key))
            let last = try #require(rule.json["last_evaluation"] as? [String: Any])
            #expect(last["state"] as? String == "error")
            #expect((last["error"] as? String)?.contains("1001 groups") == true, "\(rule.text)")
        }
    }

    /// A backtest is a query a tenant writes: past the workspace's `max_query_cost` (series ×
    /// minutes read) it is refused with 422 before anything is read.
    @Test func aBacktestPastTheQueryCostIs422() async throws {
        try await TestAPI.run(limits: WorkspaceLimits(maxQueryCost: 1_000)) { api, client in
            let ws = try await client.createWorkspace()
            try await Self.ingest(client, ws, [("500", "/api/a", 1), ("500", "/api/b", 1)])
            let iso = ISO8601DateFormatter(), now = api.clock.now
            let rule = #"{"name":"t","metric":"http.request.duration","statistic":"count","comparison":">","threshold":0,"group_by":["endpoint"]}"#
            let body = #"{"rule":\#(rule),"from":"\#(iso.string(from: now.addingTimeInterval(-86_400)))","to":"\#(iso.string(from: now))"}"#
            try await client.call(.post, "/v1/workspaces/\(ws.slug)/alert-rules/test", auth: .bearer(ws.key), json: body)
                .expectErrorEnvelope(.unprocessableContent, "query_too_large")
        }
    }
}
