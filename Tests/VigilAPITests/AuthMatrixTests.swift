import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Every workspace endpoint against every way authentication can fail.
struct AuthMatrixTests {
    struct Endpoint: Sendable, CustomStringConvertible {
        var method: HTTPRequest.Method
        var path: String         // {ws} and {key} are filled in per test
        var body: String?
        /// Roles below admin that must get 403, and those that must succeed.
        var denied: [String]
        var allowed: [String]
        var success: HTTPResponse.Status
        var description: String { "\(method) \(path)" }
    }

    static let endpoints: [Endpoint] = [
        Endpoint(method: .get, path: "/v1/workspaces/{ws}", body: nil, denied: ["ingest"], allowed: ["viewer"], success: .ok),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/audit-log/auth-failures", body: nil, denied: ["viewer", "ingest"], allowed: [], success: .ok),
        Endpoint(method: .post, path: "/v1/workspaces/{ws}/api-keys", body: #"{"name":"x","role":"viewer"}"#, denied: ["viewer", "ingest"], allowed: [], success: .created),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/api-keys", body: nil, denied: ["viewer", "ingest"], allowed: [], success: .ok),
        Endpoint(method: .delete, path: "/v1/workspaces/{ws}/api-keys/{key}", body: nil, denied: ["viewer", "ingest"], allowed: [], success: .noContent),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/audit-log", body: nil, denied: ["viewer", "ingest"], allowed: [], success: .ok),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/audit-log/verify", body: nil, denied: ["viewer", "ingest"], allowed: [], success: .ok),
        Endpoint(method: .post, path: "/v1/workspaces/{ws}/metrics", body: #"{"points":[{"name":"m","kind":"gauge","value":1}]}"#,
                 denied: ["viewer"], allowed: ["ingest"], success: .ok),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/metrics", body: nil, denied: ["ingest"], allowed: ["viewer"], success: .ok),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/metrics/m/stats?window=5&group_by=host", body: nil,
                 denied: ["ingest"], allowed: ["viewer"], success: .ok),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/metrics/m/series?window=5&step=1", body: nil,
                 denied: ["ingest"], allowed: ["viewer"], success: .ok),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/metrics/export", body: nil, denied: ["ingest"], allowed: ["viewer"], success: .ok),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/dashboards/graphql-mutations", body: nil,
                 denied: ["ingest"], allowed: ["viewer"], success: .ok),
        Endpoint(method: .patch, path: "/v1/workspaces/{ws}", body: #"{"name":"Renamed"}"#, denied: ["viewer", "ingest"], allowed: [],
                 success: .ok),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/jobs", body: nil, denied: ["viewer", "ingest"], allowed: [], success: .ok),
        Endpoint(method: .post, path: "/v1/workspaces/{ws}/alerts", body: #"{"title":"t","severity":"high","source":"s"}"#,
                 denied: ["viewer"], allowed: [], success: .created),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/alerts", body: nil, denied: ["ingest"], allowed: ["viewer"], success: .ok),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/kpis", body: nil, denied: ["ingest"], allowed: ["viewer"], success: .ok),
        Endpoint(method: .put, path: "/v1/workspaces/{ws}/kpis/logins", body: #"{"name":"Logins","aggregation":"count","direction":"higher_is_better"}"#,
                 denied: ["viewer", "ingest"], allowed: [], success: .created),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/slos", body: nil, denied: ["ingest"], allowed: ["viewer"], success: .ok),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/digests", body: nil, denied: ["ingest"], allowed: ["viewer"], success: .ok),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/metrics/business", body: nil, denied: ["ingest"], allowed: ["viewer"], success: .ok),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/metrics/security", body: nil, denied: ["ingest"], allowed: ["viewer"], success: .ok),
        Endpoint(method: .post, path: "/v1/workspaces/{ws}/compliance/reports", body: #"{"kind":"retention"}"#,
                 denied: ["viewer", "ingest"], allowed: [], success: .accepted),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/compliance/reports", body: nil, denied: ["viewer", "ingest"], allowed: [], success: .ok),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/notifications", body: nil, denied: ["ingest"], allowed: ["viewer"], success: .ok),
        Endpoint(method: .post, path: "/v1/workspaces/{ws}/channels",
                 body: #"{"name":"c","kind":"webhook","url":"http://127.0.0.1:9/x","secrets":{"signing_secret":"0123456789abcdef"}}"#,
                 denied: ["viewer", "ingest"], allowed: [], success: .created),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/channels", body: nil, denied: ["viewer", "ingest"], allowed: [], success: .ok),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/routes", body: nil, denied: ["viewer", "ingest"], allowed: [], success: .ok),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/escalation-policies", body: nil, denied: ["viewer", "ingest"], allowed: [], success: .ok),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/inhibit-rules", body: nil, denied: ["viewer", "ingest"], allowed: [], success: .ok),
        Endpoint(method: .get, path: "/v1/workspaces/{ws}/silences", body: nil, denied: ["ingest"], allowed: ["viewer"], success: .ok),
        Endpoint(method: .post, path: "/v1/workspaces/{ws}/silences",
                 body: #"{"matchers":[{"name":"a","op":"=","value":"b"}],"ends_at":"2099-01-01T00:00:00Z","comment":"c"}"#,
                 denied: ["viewer", "ingest"], allowed: [], success: .created),
        Endpoint(method: .post, path: "/v1/workspaces/{ws}/integrations/alertmanager",
                 body: #"{"version":"4","status":"firing","receiver":"r","groupKey":"g","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"","alerts":[{"status":"firing","labels":{"alertname":"A"},"annotations":{},"startsAt":"2026-11-30T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"abc123"}]}"#,
                 denied: ["viewer"], allowed: ["ingest"], success: .ok),
    ]

    @Test(arguments: endpoints)
    func everyFailureModeAndTheHappyPath(endpoint: Endpoint) async throws {
        try await TestAPI.run { _, client in
            let a = try await client.createWorkspace()
            let b = try await client.createWorkspace()
            let victim = try await client.createKey(workspace: a.slug, adminKey: a.key, role: "viewer", name: "victim")
            let viewer = try await client.createKey(workspace: a.slug, adminKey: a.key, role: "viewer")
            let ingest = try await client.createKey(workspace: a.slug, adminKey: a.key, role: "ingest")
            let revoked = try await client.createKey(workspace: a.slug, adminKey: a.key, role: "admin")
            let revoke = try await client.call(.delete, "/v1/workspaces/\(a.slug)/api-keys/\(revoked.id)", auth: .bearer(a.key))
            #expect(revoke.status == .noContent)
            // A metric to query (the query endpoints answer 404 for a name never sent).
            let seeded = try await client.call(.post, "/v1/workspaces/\(a.slug)/metrics", auth: .bearer(a.key),
                                               json: #"{"points":[{"name":"m","kind":"gauge","value":1,"tags":{"host":"web-1"}}]}"#)
            #expect(seeded.status == .ok, "\(seeded.text)")

            func path(_ ws: String) -> String {
                endpoint.path.replacingOccurrences(of: "{ws}", with: ws).replacingOccurrences(of: "{key}", with: victim.id)
            }
            func call(_ auth: Auth, ws: String? = nil) async throws -> Reply {
                try await client.call(endpoint.method, path(ws ?? a.slug), auth: auth, json: endpoint.body)
            }
            let wellFormedUnknown = "vgl_\(a.id.replacingOccurrences(of: "-", with: ""))_\(String(repeating: "A", count: 43))"

            try await call(.none).expectErrorEnvelope(.unauthorized, "unauthenticated")
            try await call(.bearer("not-a-key")).expectErrorEnvelope(.unauthorized, "unauthenticated")
            try await call(.bearer(wellFormedUnknown)).expectErrorEnvelope(.unauthorized, "unauthenticated")
            try await call(.bearer(revoked.key)).expectErrorEnvelope(.unauthorized, "unauthenticated")
            try await call(.bearer(TestAPI.adminToken)).expectErrorEnvelope(.unauthorized, "unauthenticated")
            // B's valid admin key on A's path: exactly as if A did not exist (by slug and by id).
            try await call(.bearer(b.key)).expectErrorEnvelope(.notFound, "not_found")
            try await call(.bearer(b.key), ws: a.id).expectErrorEnvelope(.notFound, "not_found")
            let missing = try await call(.bearer(b.key), ws: "no-such-workspace")
            missing.expectErrorEnvelope(.notFound, "not_found")
            #expect(try await call(.bearer(b.key)).json["error"].map { "\($0)" }?.contains(a.id) != true)
            let lowRoles = ["viewer": viewer.key, "ingest": ingest.key]
            for role in endpoint.denied {
                try await call(.bearer(lowRoles[role]!)).expectErrorEnvelope(.forbidden, "forbidden")
            }
            for role in endpoint.allowed {
                let reply = try await call(.bearer(lowRoles[role]!))
                #expect(reply.status == endpoint.success, "\(role): \(reply.text)")
            }
            // Happy path, by slug with the Bearer header and by id with the legacy header.
            let ok = try await call(.bearer(a.key))
            #expect(ok.status == endpoint.success, "\(ok.text)")
            if endpoint.method == .get {
                #expect(try await call(.legacyHeader(a.key), ws: a.id).status == endpoint.success)
            }
        }
    }

    @Test func platformRoutesNeedTheAdminToken() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            for auth in [Auth.none, .bearer("wrong"), .bearer(TestAPI.adminToken + "x"), .bearer(ws.key), .legacyHeader(TestAPI.adminToken)] {
                try await client.call(.get, "/v1/workspaces", auth: auth).expectErrorEnvelope(.unauthorized, "unauthenticated")
                try await client.call(.post, "/v1/workspaces", auth: auth, json: #"{"name":"x"}"#).expectErrorEnvelope(.unauthorized, "unauthenticated")
            }
            let list = try await client.call(.get, "/v1/workspaces", auth: .bearer(TestAPI.adminToken))
            #expect(list.status == .ok)
            #expect((list.json["items"] as? [[String: Any]])?.contains { $0["id"] as? String == ws.id } == true)
        }
    }

    @Test func revocationTakesEffectAtOnce() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let member = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "member")
            #expect(try await client.call(.get, "/v1/workspaces/\(ws.slug)", auth: .bearer(member.key)).status == .ok)
            #expect(try await client.call(.delete, "/v1/workspaces/\(ws.slug)/api-keys/\(member.id)", auth: .bearer(ws.key)).status == .noContent)
            try await client.call(.get, "/v1/workspaces/\(ws.slug)", auth: .bearer(member.key)).expectErrorEnvelope(.unauthorized, "unauthenticated")
            // Revoking again is harmless.
            #expect(try await client.call(.delete, "/v1/workspaces/\(ws.slug)/api-keys/\(member.id)", auth: .bearer(ws.key)).status == .noContent)
        }
    }
}
