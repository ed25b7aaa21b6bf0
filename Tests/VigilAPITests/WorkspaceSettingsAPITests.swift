import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresClient
import Testing
import VigilCore

struct WorkspaceSettingsAPITests {
    @Test func adminsChangeNameAndSettingsFieldByFieldAndItIsAudited() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let reply = try await client.call(.patch, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key), json: """
                {"name": "Renamed", "settings": {"retention_days": {"metrics": 30}, "redaction": {"allowed_tag_keys": ["host"]}}}
                """)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json["name"] as? String == "Renamed")
            let settings = try #require(reply.json["settings"] as? [String: Any])
            let days = try #require(settings["retention_days"] as? [String: Any])
            #expect(days["metrics"] as? Int == 30)
            #expect(days["alerts"] as? Int == 30, "untouched fields keep their values")
            #expect(days["audit_log"] as? Int == 365)
            let redaction = try #require(settings["redaction"] as? [String: Any])
            #expect(redaction["mode"] as? String == "mask")
            #expect(redaction["allowed_tag_keys"] as? [String] == ["host"])
            // Read back, and audited.
            let read = try await client.call(.get, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key))
            #expect(((read.json["settings"] as? [String: Any])?["retention_days"] as? [String: Any])?["metrics"] as? Int == 30)
            let audit = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log?action=workspace.update", auth: .bearer(ws.key))
            #expect((audit.json["items"] as? [[String: Any]])?.count == 1)
            _ = api
        }
    }

    @Test(arguments: [
        #"{"settings": {"retention_days": {"metrics": 0}}}"#,
        #"{"settings": {"time_zone": "Mars/Olympus"}}"#,
        #"{"settings": {"redaction": {"allowed_tag_keys": ["user id"]}}}"#,
        #"{"settings": {"redaction": {"mode": "shred"}}}"#,
        #"{"settings": {"colour": "blue"}}"#,
        #"{"name": ""}"#,
        #"{"name": 5}"#,
    ])
    func invalidChangesAre400AndChangeNothing(_ body: String) async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            try await client.call(.patch, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key), json: body)
                .expectErrorEnvelope(.badRequest, "invalid_request")
            let read = try await client.call(.get, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key))
            #expect(((read.json["settings"] as? [String: Any])?["retention_days"] as? [String: Any])?["metrics"] as? Int == 90)
            #expect(((read.json["settings"] as? [String: Any])?["time_zone"] as? String) == "UTC")
        }
    }

    @Test func pseudonymizeGivesKeyedTokensAndAllowListedKeysStayVerbatim() async throws {
        try await TestAPI.run(maxBodyBytes: 1 << 20) { api, client in
            let ws = try await client.createWorkspace()
            let patch = try await client.call(.patch, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key),
                                              json: #"{"settings": {"redaction": {"mode": "pseudonymize", "allowed_tag_keys": ["host"]}}}"#)
            #expect(patch.status == .ok, "\(patch.text)")
            let body = #"{"points":[{"name":"logins","kind":"counter","value":1,"tags":{"user":"Alice@Example.com","host":"10.0.0.1"}},{"name":"logins","kind":"counter","value":1,"tags":{"user":"alice@example.com","host":"10.0.0.1"}}]}"#
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: body).status == .ok)

            let owner = try await api.db.ownerConnection()
            let key = try await owner.query("SELECT pseudonym_key FROM workspaces WHERE id = \(UUID(uuidString: ws.id)!)").first!
                .decode("pseudonym_key", as: Data.self)
            let tags = try await owner.query("SELECT tags->>'user' AS u, tags->>'host' AS h FROM metric_series")
                .map { (try $0.decode("u", as: String.self), try $0.decode("h", as: String.self)) }
            await owner.close()
            #expect(key.count == 32)
            let expected = PIIRedactor.token(for: "alice@example.com", category: .email, key: [UInt8](key))
            // One series: the same person (case-insensitive email) gets the same token.
            #expect(tags.count == 1)
            #expect(tags.first?.0 == expected, "\(tags)")
            #expect(tags.first?.0.hasPrefix("[EMAIL:") == true)
            #expect(tags.first?.1 == "10.0.0.1", "allow-listed keys are kept verbatim")
        }
    }
}
