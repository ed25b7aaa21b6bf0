import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilServices

/// The per-minute limits (requests per key class, KPI events) and the operator's
/// per-workspace overrides, through the API; and the shared allowance across API processes.
@Suite(.serialized) struct WorkspaceRateLimitTests {
    static let kpi = #"{"name":"Sign-ups","unit":"users","aggregation":"sum","target":10,"direction":"higher_is_better"}"#

    static func events(_ count: Int) -> String {
        #"{"events":["# + Array(repeating: #"{"value":1}"#, count: count).joined(separator: ",") + "]}"
    }

    @Test func requestsPerMinuteAreCountedPerKeyClass() async throws {
        try await TestAPI.run(limits: WorkspaceLimits(requestsPerMinute: [.viewer: 5, .ingest: 3, .admin: 100, .member: 100])) { _, client in
            let ws = try await client.createWorkspace(), other = try await client.createWorkspace()
            let viewer = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer").key
            let ingest = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "ingest").key
            for _ in 0..<5 {
                #expect(try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(viewer)).status == .ok)
            }
            let refused = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(viewer))
            refused.expectErrorEnvelope(.tooManyRequests, "rate_limited")
            #expect((refused.errorMessage ?? "").contains("at most 5 requests per minute with viewer keys"))
            #expect((1...60).contains(Int(refused.headers[.retryAfter] ?? "") ?? 0))
            // The ingest keys' class has its own minute, and so does the admin's.
            let point = #"{"points":[{"name":"m","kind":"gauge","value":1}]}"#
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ingest), json: point).status == .ok)
            #expect(try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(ws.key)).status == .ok)
            // Another workspace's viewers are not held back.
            let otherViewer = try await client.createKey(workspace: other.slug, adminKey: other.key, role: "viewer").key
            #expect(try await client.call(.get, "/v1/workspaces/\(other.slug)/alerts", auth: .bearer(otherViewer)).status == .ok)
            // The workspace's own admin sees the minute's usage.
            let limits = try await client.call(.get, "/v1/workspaces/\(ws.slug)/limits", auth: .bearer(ws.key))
            #expect(limits.status == .ok, "\(limits.text)")
            let used = limits.json["used"] as? [String: Any]
            #expect(used?["requests_viewer"] as? Int == 5, "\(limits.text)")
            #expect((limits.json["effective"] as? [String: Any])?["requests_per_minute_viewer"] as? Int == 5)
        }
    }

    @Test func kpiEventsPerMinuteRefuseTheWholeBatch() async throws {
        try await TestAPI.run(limits: WorkspaceLimits(kpiEventsPerMinute: 10)) { api, client in
            let ws = try await client.createWorkspace()
            // Both batches in one minute of the limiter's clock (5 s into it), however slow the run.
            let second = api.clock.now.timeIntervalSince1970.truncatingRemainder(dividingBy: 60)
            api.clock.advance(by: (65 - second).truncatingRemainder(dividingBy: 60))
            #expect(try await client.call(.put, "/v1/workspaces/\(ws.slug)/kpis/signups", auth: .bearer(ws.key), json: Self.kpi).status == .created)
            let first = try await client.call(.post, "/v1/workspaces/\(ws.slug)/kpis/signups/events", auth: .bearer(ws.key), json: Self.events(8))
            #expect(first.status == .accepted, "\(first.text)")
            let refused = try await client.call(.post, "/v1/workspaces/\(ws.slug)/kpis/signups/events", auth: .bearer(ws.key), json: Self.events(5))
            refused.expectErrorEnvelope(.tooManyRequests, "rate_limited")
            #expect((refused.errorMessage ?? "").contains("10 KPI events per minute"))
            let fits = try await client.call(.post, "/v1/workspaces/\(ws.slug)/kpis/signups/events", auth: .bearer(ws.key), json: Self.events(2))
            #expect(fits.status == .accepted, "what is left of the minute still serves a smaller batch: \(fits.text)")
            // A new minute, a new allowance.
            api.clock.advance(by: 60)
            let next = try await client.call(.post, "/v1/workspaces/\(ws.slug)/kpis/signups/events", auth: .bearer(ws.key), json: Self.events(5))
            #expect(next.status == .accepted, "\(next.text)")
        }
    }

    @Test func theOperatorOverridesOneWorkspacesLimits() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace(), other = try await client.createWorkspace()
            let path = "/v1/workspaces/\(ws.slug)/limits"
            // Only the platform admin token may set them; a workspace admin key is not enough.
            try await client.call(.put, path, auth: .bearer(ws.key), json: #"{"config_objects":1}"#).expectErrorEnvelope(.unauthorized, "unauthenticated")
            try await client.call(.put, path, auth: .bearer(TestAPI.adminToken), json: #"{"config_objects":0}"#)
                .expectErrorEnvelope(.badRequest, "invalid_request")
            try await client.call(.put, path, auth: .bearer(TestAPI.adminToken), json: #"{"bogus":5}"#)
                .expectErrorEnvelope(.badRequest, "invalid_request")
            try await client.call(.put, "/v1/workspaces/no-such-workspace/limits", auth: .bearer(TestAPI.adminToken), json: "{}")
                .expectErrorEnvelope(.notFound, "not_found")
            let set = try await client.call(.put, path, auth: .bearer(TestAPI.adminToken), json: #"{"config_objects":1,"requests_per_minute_admin":1000}"#)
            #expect(set.status == .ok, "\(set.text)")
            #expect((set.json["overrides"] as? [String: Any])?["config_objects"] as? Int == 1)
            #expect((set.json["effective"] as? [String: Any])?["series"] as? Int == WorkspaceLimits.defaultMaxActiveSeries)

            let silence = WorkspaceLimitsTests.silence
            _ = try await client.postJSON("/v1/workspaces/\(ws.slug)/silences", key: ws.key, silence)
            try await client.call(.post, "/v1/workspaces/\(ws.slug)/silences", auth: .bearer(ws.key), json: silence)
                .expectErrorEnvelope(.conflict, "conflict")
            for _ in 0..<2 { _ = try await client.postJSON("/v1/workspaces/\(other.slug)/silences", key: other.key, silence) }

            // Ingest keys read no settings; viewers read the limits.
            let ingest = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "ingest").key
            try await client.call(.get, path, auth: .bearer(ingest)).expectErrorEnvelope(.forbidden, "forbidden")
            // Back to the defaults, audited both times.
            let cleared = try await client.call(.put, path, auth: .bearer(TestAPI.adminToken), json: "{}")
            #expect((cleared.json["overrides"] as? [String: Any])?.isEmpty == true, "\(cleared.text)")
            _ = try await client.postJSON("/v1/workspaces/\(ws.slug)/silences", key: ws.key, silence)
            let audit = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log?action=workspace.limits.update", auth: .bearer(ws.key))
            #expect(((audit.json["items"] as? [Any]) ?? []).count == 2, "\(audit.text)")
        }
    }

    /// Two limiters over one database stand for two API processes: each keeps its own leases
    /// in memory, the allowance is shared in PostgreSQL, and together they never admit more.
    @Test func theAllowanceIsSharedAcrossProcesses() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let workspace = try await api.services.workspaces.find(reference: ws.slug)
            let defaults = WorkspaceLimits(kpiEventsPerMinute: 100)
            // Every spend in one minute of the limiter's clock (5 s into it), however slow the
            // run: a minute boundary mid-test would rightly grant a second allowance.
            let second = api.clock.now.timeIntervalSince1970.truncatingRemainder(dividingBy: 60)
            api.clock.advance(by: (65 - second).truncatingRemainder(dividingBy: 60))
            let processes = (0..<2).map { _ in
                let policy = WorkspaceLimitPolicy(defaults: defaults, database: api.services.database, clock: api.services.clock)
                return WorkspaceRateLimiter(database: api.services.database, clock: api.services.clock, policy: policy)
            }
            let admitted = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<300 {
                    group.addTask {
                        do {
                            try await processes[index % 2].spend(1, on: .kpiEvents, workspaceID: workspace.id)
                            return 1
                        } catch ServiceError.rateLimited { return 0 }
                    }
                }
                return try await group.reduce(0, +)
            }
            // Never more than the limit; at most one unspent slice (100/20 = 5) per process less.
            #expect(admitted <= 100)
            #expect(admitted >= 100 - 2 * 5, "admitted \(admitted)")
        }
    }
}

extension Reply {
    var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }
}
