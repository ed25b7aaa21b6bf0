import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilServices

/// The attack scan over stored events and the dashboards that show it: campaigns become
/// detections with evidence and alerts, innocent traffic does not, the fan-out reaches only
/// workspaces with recent events.
struct SecurityDetectionAPITests {
    static func event(_ kind: String, _ ip: String, sub: String? = nil, user: String? = nil) -> String {
        var fields = [#""kind":"\#(kind)""#, #""source_ip":"\#(ip)""#]
        if let sub { fields.append(#""sub_kind":"\#(sub)""#) }
        if let user { fields.append(#""user_ref":"\#(user)""#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    @Test func campaignsBecomeDetectionsAlertsAndScoresWhileABusyNATDoesNot() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let path = "/v1/workspaces/\(ws.slug)/security/events"
            // Credential stuffing: 20 failures across 20 accounts from one address (60 points: not blocked by ingest).
            let stuffing = (0..<20).map { Self.event("auth_failure", "198.51.100.10", user: "user-\($0)") }
            // A busy office NAT: 12 people mistype once.
            let office = (0..<12).map { Self.event("auth_failure", "192.0.2.200", user: "staff-\($0)") }
            // A GraphQL cost attack: 10 complexity rejections (100 points: at the threshold, not above).
            let graphql = (0..<10).map { _ in Self.event("graphql_rejection", "203.0.113.44", sub: "complexity") }
            let stored = try await client.call(.post, path, auth: .bearer(ws.key), json: SecurityAPITests.events(stuffing + office + graphql))
            #expect(stored.status == .accepted && (stored.json["blocked"] as? [String])?.isEmpty == true, "\(stored.text)")

            let other = try await client.createWorkspace()
            #expect(try await api.workerServices.securityScanner.dispatch() >= 1)
            let workspace = try await api.services.workspaces.find(reference: ws.slug)
            let report = try await api.services.securityScanner.scan(workspace)
            #expect(report.detections == 2 && report.blocked == 2, "\(report)")
            #expect(try await api.services.securityScanner.scan(workspace).detections == 0, "a campaign is stored once per window")

            let threats = try await client.call(.get, "/v1/workspaces/\(ws.slug)/security/threats", auth: .bearer(ws.key))
            let detections = try #require(threats.json["detections"] as? [[String: Any]])
            #expect(Set(detections.compactMap { $0["kind"] as? String }) == ["credential_stuffing", "graphql_complexity_attack"], "\(threats.text)")
            #expect(detections.allSatisfy { $0["alert_id"] is String })
            let stuffingFound = try #require(detections.first { $0["kind"] as? String == "credential_stuffing" })
            #expect((stuffingFound["evidence"] as? [String: String])?["distinct_users"] == "20")
            #expect(!detections.contains { ($0["sources"] as? [String])?.contains("192.0.2.200") == true }, "the office is innocent")
            // Each finding adds 50 points: the GraphQL attacker (100) and the stuffer (60) pass 100; the office (36) is untouched.
            let blocklist = try await client.call(.get, "/v1/workspaces/\(ws.slug)/security/blocklist.txt", auth: .bearer(ws.key))
            #expect(blocklist.text == "198.51.100.10\n203.0.113.44\n", "\(blocklist.text)")
            let officePage = try await client.call(.get, "/v1/workspaces/\(ws.slug)/security/ips/192.0.2.200", auth: .bearer(ws.key))
            #expect(officePage.json["blocked"] as? Bool == false && (officePage.json["score"] as? Double ?? 0) <= 36, "\(officePage.text.prefix(200))")
            let alerts = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?label=alertname%3DGraphQLComplexityAttack", auth: .bearer(ws.key))
            #expect((alerts.json["items"] as? [Any])?.count == 1, "\(alerts.text)")

            // The other workspace saw nothing.
            let quiet = try await client.call(.get, "/v1/workspaces/\(other.slug)/security/threats", auth: .bearer(other.key))
            #expect((quiet.json["detections"] as? [Any])?.isEmpty == true && quiet.json["blocked_count"] as? Int == 0)

            let dashboard = try await client.call(.get, "/v1/workspaces/\(ws.slug)/security?window=24", auth: .bearer(ws.key))
            #expect(dashboard.status == .ok, "\(dashboard.text)")
            #expect((dashboard.json["overall_threat_score"] as? Double ?? 0) > 25, "\(dashboard.text)")
            #expect(dashboard.json["blocked_count"] as? Int == 2)
            #expect((dashboard.json["events_by_kind"] as? [String: Int])?["auth_failure"] == 32)
            #expect((dashboard.json["graphql_summary"] as? [String: Any])?["blocked_requests"] as? Int == 10)
            #expect((dashboard.json["recent_detections"] as? [Any])?.count == 2)
            let advice = try #require(dashboard.json["recommendations"] as? [[String: Any]])
            #expect(advice.first?["level"] as? String == "critical")
            let top = try #require(dashboard.json["top_attacking_ips"] as? [[String: Any]])
            #expect(top.first?["source"] as? String == "198.51.100.10" && top.first?["events"] as? Int == 20, "\(top.first ?? [:])")
            let summary = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/security", auth: .bearer(ws.key))
            #expect(summary.json["security_events"] as? Int == 42 && summary.json["detections"] as? Int == 2 && summary.json["blocked_addresses"] as? Int == 2,
                    "\(summary.text)")
        }
    }

    @Test func theSqlInjectionAndGraphqlViewsSummariseTheirKinds() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let events = [Self.event("sql_injection", "203.0.113.1", sub: "union"), Self.event("sql_injection", "203.0.113.1", sub: "union"),
                          Self.event("sql_injection", "203.0.113.2", sub: "stacked"), Self.event("csrf_violation", "203.0.113.3"),
                          Self.event("graphql_rejection", "203.0.113.4", sub: "depth"), Self.event("rate_limit", "203.0.113.4")]
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/security/events", auth: .bearer(ws.key),
                                          json: SecurityAPITests.events(events)).status == .accepted)
            let sqli = try await client.call(.get, "/v1/workspaces/\(ws.slug)/security/sqli?window=1", auth: .bearer(ws.key))
            #expect(sqli.json["total"] as? Int == 3 && sqli.json["unique_ips"] as? Int == 2 && sqli.json["most_common_sub_kind"] as? String == "union",
                    "\(sqli.text)")
            #expect((sqli.json["recent_events"] as? [Any])?.count == 3)
            let graphql = try await client.call(.get, "/v1/workspaces/\(ws.slug)/security/graphql", auth: .bearer(ws.key))
            #expect(graphql.json["total"] as? Int == 1 && (graphql.json["events_by_kind"] as? [String: Int]) == ["graphql_rejection": 1, "csrf_violation": 1, "rate_limit": 1],
                    "\(graphql.text)")
            #expect((graphql.json["top_ips"] as? [[String: Any]])?.first?["source"] as? String == "203.0.113.4")
        }
    }
}
