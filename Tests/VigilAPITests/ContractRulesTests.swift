import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Rules the spec states that the generated decoders alone would not keep: a `null` only where
/// a property is nullable, bounds of routes, silences and download links, fields of one SLO
/// kind refused on another, list filters within their spec'd lengths. Each case is refused
/// with a 400 naming the field and changes nothing.
struct ContractRulesTests {
    // (case, method, path under the workspace, body or nil, the field the 400 names)
    static let refusals: [(String, HTTPRequest.Method, String, String?, String)] = [
        ("null matchers", .post, "/routes", #"{"matchers":null,"channel_ids":["CHANNEL"]}"#, "matchers"),
        ("null continue", .post, "/routes", #"{"continue":null,"channel_ids":["CHANNEL"]}"#, "continue"),
        ("null nested level", .post, "/escalation-policies", #"{"name":"p","levels":[{"delay_minutes":null,"channel_ids":["CHANNEL"]}]}"#, "levels[].delay_minutes"),
        ("null alert label value", .post, "/alerts", #"{"title":"t","severity":"high","source":"s","labels":{"a":null}}"#, "labels.a"),
        ("route position past its maximum", .post, "/routes", #"{"position":100001,"channel_ids":["CHANNEL"]}"#, "position"),
        ("route with 65 matchers", .post, "/routes",
         #"{"channel_ids":["CHANNEL"],"matchers":[\#(Array(repeating: #"{"name":"a","op":"=","value":"b"}"#, count: 65).joined(separator: ","))]}"#, "matchers"),
        ("silence creator past 200 characters", .post, "/silences",
         #"{"matchers":[{"name":"a","op":"=","value":"b"}],"ends_at":"2099-01-01T00:00:00Z","comment":"c","created_by":"\#(String(repeating: "é", count: 201))"}"#, "created_by"),
        ("percentile on an availability SLO", .post, "/slos",
         #"{"name":"a","kind":"availability","good_metric":"g","total_metric":"t","percentile":99,"objective_percent":99,"window":"rolling_7d"}"#, "slo"),
        ("a latency SLO without its threshold", .post, "/slos",
         #"{"name":"a","kind":"latency","metric":"m","percentile":99,"objective_percent":99,"window":"rolling_7d"}"#, "threshold_ms"),
        ("an empty escalation policy name", .post, "/escalation-policies", #"{"name":"","levels":[{"delay_minutes":0,"channel_ids":["CHANNEL"]}]}"#, "name"),
        ("an SMTP port past 65535 on a slack channel", .post, "/channels",
         #"{"name":"s","kind":"slack","smtp_port":70000,"secrets":{"webhook_url":"https://hooks.example.com/x"}}"#, "smtp_port"),
        ("a short signing secret on an email channel", .post, "/channels",
         #"{"name":"e","kind":"email","to":["a@example.com"],"from":"v@example.com","smtp_host":"smtp.example.com","secrets":{"signing_secret":"short"}}"#,
         "secrets.signing_secret"),
        ("an empty job kind filter", .get, "/jobs?kind=", nil, "kind"),
        ("an empty alert source filter", .get, "/alerts?source=", nil, "source"),
        ("21 label filters", .get, "/alerts?" + (0..<21).map { "label=k\($0)%3Dv" }.joined(separator: "&"), nil, "label"),
        ("a scalar query parameter given twice", .get, "/routes?limit=4&limit=x", nil, "limit"),
    ]

    @Test(arguments: refusals.indices)
    func refused(index: Int) async throws {
        let (name, method, path, body, field) = Self.refusals[index]
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let channel = try await client.call(.post, "/v1/workspaces/\(ws.slug)/channels", auth: .bearer(ws.key),
                                                json: #"{"name":"pd","kind":"pagerduty","secrets":{"routing_key":"abc"}}"#)
            let channelID = try #require(channel.json["id"] as? String)
            let listPath = "/v1/workspaces/\(ws.slug)\(path)"
            let before = method == .get ? nil : try await client.call(.get, listPath, auth: .bearer(ws.key)).json["items"] as? [Any]
            let reply = try await client.call(method, listPath, auth: .bearer(ws.key),
                                              json: body?.replacingOccurrences(of: "CHANNEL", with: channelID))
            reply.expectErrorEnvelope(.badRequest, "invalid_request")
            let error = reply.json["error"] as? [String: Any]
            #expect((error?["details"] as? [String: Any])?["field"] as? String == field, "\(name): \(reply.text)")
            if let before {
                let after = try await client.call(.get, listPath, auth: .bearer(ws.key)).json["items"] as? [Any]
                #expect(after?.count == before.count, "\(name) stored something")
            }
        }
    }

    /// The nullable body fields the spec declares are still accepted as null.
    @Test func declaredNullablesAcceptNull() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let channel = try await client.call(.post, "/v1/workspaces/\(ws.slug)/channels", auth: .bearer(ws.key),
                                                json: #"{"name":"pd","kind":"pagerduty","secrets":{"routing_key":"abc"}}"#)
            let channelID = try #require(channel.json["id"] as? String)
            let policy = try await client.call(.post, "/v1/workspaces/\(ws.slug)/escalation-policies", auth: .bearer(ws.key),
                                               json: #"{"name":"p","ack_timeout_minutes":null,"levels":[{"delay_minutes":0,"channel_ids":["\#(channelID)"]}]}"#)
            #expect(policy.status == .created, "\(policy.text)")
            let kpi = try await client.call(.put, "/v1/workspaces/\(ws.slug)/kpis/signups", auth: .bearer(ws.key),
                                            json: #"{"name":"Signups","aggregation":"count","direction":"higher_is_better","target":null}"#)
            #expect(kpi.status == .ok || kpi.status == .created, "\(kpi.text)")
            let points = try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key),
                                               json: #"{"points":[{"name":"m","kind":"gauge","value":1,"timestamp":null,"tags":null}]}"#)
            #expect(points.status == .accepted || points.status == .ok || points.status == .created, "\(points.text)")
        }
    }

    /// A null buried under deep nesting is what makes the null check parse the body: tens of
    /// thousands of levels must be a 400, not a stack overflow in the parser or the path walk.
    @Test func deeplyNestedNullsAreRefusedNotACrash() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let depth = 20_000
            let body = #"{"channel_ids":"# + String(repeating: "[", count: depth) + "null" + String(repeating: "]", count: depth) + "}"
            let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/routes", auth: .bearer(ws.key), json: body)
            reply.expectErrorEnvelope(.badRequest, "invalid_request")
            #expect(try await client.call(.get, "/v1/workspaces/\(ws.slug)/routes", auth: .bearer(ws.key)).status == .ok, "the server is still up")
        }
    }

    /// List parameters repeat; the older `tag.<name>` form keeps its last value.
    @Test func listParametersRepeat() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let alerts = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?label=a%3Db&label=c%3Dd", auth: .bearer(ws.key))
            #expect(alerts.status == .ok, "\(alerts.text)")
            let stats = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/m/stats?tag=a%3Db&tag=c%3Dd&tag.e=1&tag.e=2",
                                              auth: .bearer(ws.key))
            #expect(stats.status == .ok || stats.status == .notFound, "\(stats.text)")
        }
    }

    /// Alertmanager's batch is checked whole first: a bad resolved alert after a good firing one
    /// leaves nothing applied (a retry would otherwise count the first one twice).
    @Test func anAlertmanagerMessageIsCheckedWholeBeforeAnyAlertApplies() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let body = #"{"version":"4","alerts":[{"status":"firing","labels":{"alertname":"A"}},"# +
                #"{"status":"resolved","labels":{"alertname":"B"},"annotations":{"bad name":"x"}}]}"#
            let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/integrations/alertmanager", auth: .bearer(ws.key), json: body)
            reply.expectErrorEnvelope(.badRequest, "invalid_request")
            #expect(((reply.json["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String == "alerts[1].annotations")
            let alerts = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(ws.key))
            #expect((alerts.json["items"] as? [Any])?.isEmpty == true, "\(alerts.text)")
        }
    }

    @Test func downloadLinkLifetimeOutsideItsBoundsIsRefused() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let missing = UUID().uuidString.lowercased()
            for seconds in [0, 86_401] {
                let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/compliance/reports/\(missing)/download-link",
                                                  auth: .bearer(ws.key), json: #"{"expires_in_seconds":\#(seconds)}"#)
                reply.expectErrorEnvelope(.badRequest, "invalid_request")
            }
        }
    }
}
