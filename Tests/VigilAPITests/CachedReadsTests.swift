import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
import VigilCore
import VigilServices

/// `GET …/alerts` answers from memory while the workspace's alerts are unchanged, and never
/// otherwise: every change to an alert bumps the list version in its own transaction, tenants
/// never share answers, and a revoked key is refused before a cached answer is served.
struct CachedReadsTests {
    static let request = RequestMetadata(correlationID: "c", sourceIP: "127.0.0.1")

    static func raise(_ title: String, in ws: (id: String, slug: String, key: String), client: some TestClientProtocol) async throws -> String {
        let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(ws.key),
                                          json: #"{"title":"\#(title)","severity":"high","source":"test","labels":{"host":"\#(title)"}}"#)
        #expect(reply.status == .created, "\(reply.text)")
        return try #require((reply.json["alert"] as? [String: Any])?["id"] as? String ?? reply.json["id"] as? String)
    }

    static func titles(_ reply: Reply) -> [String] {
        (reply.json["items"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
    }

    @Test func aListIsServedFromMemoryUntilOneOfItsAlertsChanges() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let list = "/v1/workspaces/\(ws.slug)/alerts?limit=20"
            let first = try await Self.raise("disk-full", in: ws, client: client)
            let fresh = try await client.call(.get, list, auth: .bearer(ws.key))
            #expect(fresh.status == .ok)
            #expect(Self.titles(fresh) == ["disk-full"])

            // The title rewritten behind the trigger's back: a list still showing the old one came from memory.
            try await api.ownerWrite("UPDATE alerts SET title = 'planted' WHERE id = '\(first)'", workspaceID: ws.id, behindTheTriggers: true)
            let cached = try await client.call(.get, list, auth: .bearer(ws.key))
            #expect(cached.text == fresh.text, "nothing bumped the version: the stored answer is served")
            #expect(cached.headers[.contentType] == fresh.headers[.contentType])
            // Another query is another answer, read from the database.
            #expect(Self.titles(try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?limit=5", auth: .bearer(ws.key))) == ["planted"])

            // A transition changes the alert: the next list is read again.
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/alerts/\(first)/acknowledge", auth: .bearer(ws.key), json: "{}").status == .ok)
            let acknowledged = try await client.call(.get, list, auth: .bearer(ws.key))
            let item = try #require((acknowledged.json["items"] as? [[String: Any]])?.first)
            #expect(item["title"] as? String == "planted" && item["state"] as? String == "acknowledged")

            // A new alert, and a deleted one (retention, erasure), change it too.
            _ = try await Self.raise("cpu-hot", in: ws, client: client)
            #expect(Self.titles(try await client.call(.get, list, auth: .bearer(ws.key))) == ["cpu-hot", "planted"])
            let owner = try await api.db.ownerConnection()
            try await owner.execute("DELETE FROM alerts WHERE id = \(UUID(uuidString: first)!)")
            await owner.close()
            #expect(Self.titles(try await client.call(.get, list, auth: .bearer(ws.key))) == ["cpu-hot"])

            let metrics = try await client.call(.get, "/metrics").text
            #expect(metrics.contains(#"vigil_read_cache_requests_total{read="alerts",result="hit"} 1"#), "\(metrics)")
        }
    }

    @Test func workspacesNeverShareAnswers() async throws {
        try await TestAPI.run { api, client in
            let a = try await client.createWorkspace()
            let b = try await client.createWorkspace()
            _ = try await Self.raise("only-in-a", in: a, client: client)
            _ = try await Self.raise("only-in-b", in: b, client: client)
            // The same path and query, in turn, several times: each sees its own list.
            for _ in 0..<3 {
                #expect(Self.titles(try await client.call(.get, "/v1/workspaces/\(a.slug)/alerts?limit=20", auth: .bearer(a.key))) == ["only-in-a"])
                #expect(Self.titles(try await client.call(.get, "/v1/workspaces/\(b.slug)/alerts?limit=20", auth: .bearer(b.key))) == ["only-in-b"])
                #expect(Self.titles(try await client.call(.get, "/v1/workspaces/\(b.id)/alerts?limit=20", auth: .bearer(b.key))) == ["only-in-b"])
            }
            // A's key on B's list is refused as before, however warm the cache.
            let refused = try await client.call(.get, "/v1/workspaces/\(b.slug)/alerts?limit=20", auth: .bearer(a.key))
            #expect(refused.status.code >= 400 && refused.status.code < 500)
            #expect(!refused.text.contains("only-in-b"))
        }
    }

    @Test func aRevokedKeyIsRefusedThoughItsListIsCached() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let viewer = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer")
            _ = try await Self.raise("disk-full", in: ws, client: client)
            let list = "/v1/workspaces/\(ws.slug)/alerts?limit=20"
            #expect(try await client.call(.get, list, auth: .bearer(viewer.key)).status == .ok)
            #expect(try await client.call(.get, list, auth: .bearer(viewer.key)).status == .ok)

            // Another API process revokes it: this process still has the key and the answer.
            let processB = Services(environment: api.services.environment)
            try await processB.apiKeys.revoke(in: UUID(uuidString: ws.id)!, id: UUID(uuidString: viewer.id)!, actor: .admin, metadata: Self.request)
            try await client.call(.get, list, auth: .bearer(viewer.key)).expectErrorEnvelope(.unauthorized, "unauthenticated")
        }
    }

    @Test func requestsTheCacheCannotAnswerPassThrough() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            _ = try await Self.raise("disk-full", in: ws, client: client)
            // Errors are the generated handler's, unchanged (and never kept).
            for _ in 0..<2 {
                try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?limit=0", auth: .bearer(ws.key))
                    .expectErrorEnvelope(.badRequest, "invalid_request")
            }
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?limit=20").expectErrorEnvelope(.unauthorized, "unauthenticated")
            // An Accept that takes no JSON goes to the generated handler, as before the cache.
            let xml = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(ws.key), headers: [.accept: "application/xml"])
            let json = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(ws.key), headers: [.accept: "application/json"])
            #expect(json.status == .ok)
            #expect(xml.status != .ok || xml.bytes == json.bytes)
            let metrics = try await client.call(.get, "/metrics").text
            #expect(!metrics.contains(#"vigil_read_cache_requests_total{read="alerts",result="hit"}"#), "an error or another Accept is never a hit")
        }
    }
}
