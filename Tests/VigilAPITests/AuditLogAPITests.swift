import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresClient
import Testing

struct AuditLogAPITests {
    @Test func mutatingCallsAndFailedAuthAreAuditedWithoutSecrets() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let made = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "member", name: "ci")
            _ = try await client.call(.delete, "/v1/workspaces/\(ws.slug)/api-keys/\(made.id)", auth: .bearer(ws.key))
            _ = try await client.call(.get, "/v1/workspaces/\(ws.slug)", auth: .none,
                                      headers: [HTTPField.Name("X-Correlation-ID")!: "failed-auth-probe"])
            let viewer = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer")
            _ = try await client.call(.get, "/v1/workspaces/\(ws.slug)/api-keys", auth: .bearer(viewer.key))

            let reply = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log", auth: .bearer(ws.key))
            #expect(reply.status == .ok)
            let items = try #require(reply.json["items"] as? [[String: Any]])
            let actions = items.compactMap { $0["action"] as? String }
            // Newest first. A failed authentication is not a chain row: it is counted in
            // `auth_failures` (one row per minute and source address), checked below.
            #expect(actions == ["auth.forbidden", "api_key.create", "api_key.revoke", "api_key.create", "api_key.create", "workspace.create"])
            #expect(items.map(\.["seq"]).compactMap { $0 as? Int } == Array((1...6).reversed()))
            await api.services.auth.flushFailureCounts()
            let failures = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/auth-failures", auth: .bearer(ws.key))
            let failed = try #require((failures.json["items"] as? [[String: Any]])?.first, "\(failures.text)")
            #expect(failed["kind"] as? String == "auth_failed")
            #expect(failed["count"] as? Int == 1)
            #expect(failed["last_reason"] as? String == "missing_key")
            #expect(failed["last_correlation_id"] as? String == "failed-auth-probe")
            // No secret appears anywhere in the log.
            #expect(!reply.text.contains(ws.key) && !reply.text.contains(made.key) && !reply.text.contains(viewer.key))
            let create = try #require(items.last { $0["action"] as? String == "api_key.create" })
            #expect(create["actor_type"] as? String == "admin")

            // Filters and cursor pagination.
            let filtered = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log?action=api_key.create&limit=2", auth: .bearer(ws.key))
            let page1 = try #require(filtered.json["items"] as? [[String: Any]])
            #expect(page1.count == 2)
            let cursor = try #require(filtered.json["next_cursor"] as? String)
            let rest = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log?action=api_key.create&limit=2&cursor=\(cursor)", auth: .bearer(ws.key))
            let page2 = try #require(rest.json["items"] as? [[String: Any]])
            #expect(page2.count == 1)
            #expect(rest.json["next_cursor"] is NSNull || rest.json["next_cursor"] == nil)
        }
    }

    @Test func verifyReportsIntactThenTheFirstTamperedRow() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            for i in 0..<3 { _ = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer", name: "k\(i)") }
            let intact = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/verify", auth: .bearer(ws.key))
            #expect(intact.json["intact"] as? Bool == true)
            #expect(intact.json["checked"] as? Int == 5)

            let owner = try await api.db.ownerConnection()
            try await owner.simpleQuery("""
                BEGIN; SET LOCAL ROLE vigil_owner; SELECT set_config('vigil.workspace_id', '\(ws.id)', true);
                UPDATE audit_log SET details = '{"name": "nothing to see"}' WHERE seq = 3; COMMIT;
                """)
            await owner.close()
            let broken = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/verify", auth: .bearer(ws.key))
            #expect(broken.json["intact"] as? Bool == false)
            let firstBad = try #require(broken.json["first_bad"] as? [String: Any])
            #expect(firstBad["seq"] as? Int == 3)
            #expect(firstBad["reason"] as? String == "details_digest_mismatch")
        }
    }

    @Test func workspacesNeverSeeEachOthersAuditRows() async throws {
        try await TestAPI.run { _, client in
            let a = try await client.createWorkspace()
            let b = try await client.createWorkspace()
            _ = try await client.createKey(workspace: b.slug, adminKey: b.key, role: "viewer", name: "b-secret-name")
            let reply = try await client.call(.get, "/v1/workspaces/\(a.slug)/audit-log", auth: .bearer(a.key))
            #expect(!reply.text.contains("b-secret-name"))
            #expect(!reply.text.contains(b.id))
        }
    }
}
