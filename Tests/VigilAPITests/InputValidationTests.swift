import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Malformed, hostile and oversized input: always a 4xx envelope, never a 5xx, nothing stored.
struct InputValidationTests {
    // (case, body, status, code)
    static let workspaceBodies: [(String, String, HTTPResponse.Status, String)] = [
        ("not json", "{", .badRequest, "invalid_request"),
        ("array", "[]", .badRequest, "invalid_request"),
        ("name wrong type", #"{"name": 5}"#, .badRequest, "invalid_request"),
        ("name missing", #"{"slug": "abc"}"#, .badRequest, "invalid_request"),
        ("name empty", #"{"name": "   "}"#, .badRequest, "invalid_request"),
        ("unknown field", #"{"name": "x", "slugg": "typo"}"#, .badRequest, "invalid_request"),
        ("unknown settings field", #"{"name": "x", "settings": {"timezone": "UTC"}}"#, .badRequest, "invalid_request"),
        ("bad slug", #"{"name": "x", "slug": "Bad Slug!"}"#, .badRequest, "invalid_request"),
        ("bad time zone", #"{"name": "x", "settings": {"time_zone": "Mars/Base"}}"#, .badRequest, "invalid_request"),
        ("retention zero", #"{"name": "x", "settings": {"retention_days": {"metrics": 0}}}"#, .badRequest, "invalid_request"),
        ("retention string", #"{"name": "x", "settings": {"retention_days": {"metrics": "90"}}}"#, .badRequest, "invalid_request"),
        ("name too long", #"{"name": "\#(String(repeating: "n", count: 201))"}"#, .badRequest, "invalid_request"),
        ("sql in slug", #"{"name": "x", "slug": "a'; DROP TABLE workspaces; --"}"#, .badRequest, "invalid_request"),
        ("NUL in name", #"{"name": "a\u0000b"}"#, .badRequest, "invalid_request"),
        ("NUL in time zone", #"{"name": "x", "settings": {"time_zone": "UTC\u0000"}}"#, .badRequest, "invalid_request"),
        ("huge integer", #"{"name": "x", "settings": {"retention_days": {"metrics": 99999999999999999999}}}"#, .badRequest, "invalid_request"),
    ]

    @Test(arguments: workspaceBodies.indices)
    func createWorkspaceRejects(index: Int) async throws {
        let (_, body, status, code) = Self.workspaceBodies[index]
        try await TestAPI.run { _, client in
            let existing = try await client.createWorkspace()
            try await client.call(.post, "/v1/workspaces", auth: .bearer(TestAPI.adminToken), json: body).expectErrorEnvelope(status, code)
            let list = try await client.call(.get, "/v1/workspaces", auth: .bearer(TestAPI.adminToken))
            let items = list.json["items"] as? [[String: Any]] ?? []
            #expect(items.count == 1)
            #expect(items.first?["id"] as? String == existing.id)
        }
    }

    @Test func duplicateSlugIsAConflict() async throws {
        try await TestAPI.run { _, client in
            _ = try await client.createWorkspace(slug: "taken")
            try await client.call(.post, "/v1/workspaces", auth: .bearer(TestAPI.adminToken), json: #"{"name": "Other", "slug": "taken"}"#)
                .expectErrorEnvelope(.conflict, "conflict")
        }
    }

    @Test func oversizedAndWrongMediaTypeBodies() async throws {
        try await TestAPI.run(maxBodyBytes: 2048) { _, client in
            let big = #"{"name": "\#(String(repeating: "x", count: 5000))"}"#
            try await client.call(.post, "/v1/workspaces", auth: .bearer(TestAPI.adminToken), json: big)
                .expectErrorEnvelope(.contentTooLarge, "payload_too_large")
            var headers = HTTPFields()
            headers[.contentType] = "text/plain"
            let reply = try await client.execute(uri: "/v1/workspaces", method: .post,
                                                 headers: [.authorization: "Bearer \(TestAPI.adminToken)", .contentType: "text/plain"],
                                                 body: ByteBuffer(string: #"{"name":"x"}"#)) { response in
                Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
            }
            reply.expectErrorEnvelope(.unsupportedMediaType, "unsupported_media_type")
        }
    }

    static let keyBodies: [(String, String)] = [
        ("bad role", #"{"name": "x", "role": "root"}"#),
        ("missing role", #"{"name": "x"}"#),
        ("missing name", #"{"role": "admin"}"#),
        ("expiry in the past", #"{"name": "x", "role": "admin", "expires_at": "2001-01-01T00:00:00Z"}"#),
        ("expiry not a date", #"{"name": "x", "role": "admin", "expires_at": "tomorrow"}"#),
        ("unknown field", #"{"name": "x", "role": "admin", "scopes": ["all"]}"#),
        ("null name", #"{"name": null, "role": "admin"}"#),
        ("NUL in name", #"{"name": "a\u0000b", "role": "admin"}"#),
    ]

    @Test(arguments: keyBodies.indices)
    func createApiKeyRejects(index: Int) async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            try await client.call(.post, "/v1/workspaces/\(ws.slug)/api-keys", auth: .bearer(ws.key), json: Self.keyBodies[index].1)
                .expectErrorEnvelope(.badRequest, "invalid_request")
            let keys = try await client.call(.get, "/v1/workspaces/\(ws.slug)/api-keys", auth: .bearer(ws.key))
            #expect((keys.json["items"] as? [Any])?.count == 1)
        }
    }

    @Test(arguments: ["limit=0", "limit=501", "limit=abc", "cursor=garbage", "limit=-5"])
    func listParametersAreValidated(query: String) async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            for path in ["/v1/workspaces/\(ws.slug)/api-keys", "/v1/workspaces/\(ws.slug)/audit-log"] {
                try await client.call(.get, "\(path)?\(query)", auth: .bearer(ws.key)).expectErrorEnvelope(.badRequest, "invalid_request")
            }
            try await client.call(.get, "/v1/workspaces?\(query)", auth: .bearer(TestAPI.adminToken)).expectErrorEnvelope(.badRequest, "invalid_request")
        }
    }

    @Test func revokeValidatesTheKeyIDAndHidesOtherWorkspacesKeys() async throws {
        try await TestAPI.run { _, client in
            let a = try await client.createWorkspace()
            let b = try await client.createWorkspace()
            let bKey = try await client.createKey(workspace: b.slug, adminKey: b.key, role: "viewer")
            try await client.call(.delete, "/v1/workspaces/\(a.slug)/api-keys/not-a-uuid", auth: .bearer(a.key))
                .expectErrorEnvelope(.badRequest, "invalid_request")
            try await client.call(.delete, "/v1/workspaces/\(a.slug)/api-keys/\(UUID())", auth: .bearer(a.key))
                .expectErrorEnvelope(.notFound, "not_found")
            // B's key id guessed on A's path: not found, and B's key still works.
            try await client.call(.delete, "/v1/workspaces/\(a.slug)/api-keys/\(bKey.id)", auth: .bearer(a.key))
                .expectErrorEnvelope(.notFound, "not_found")
            #expect(try await client.call(.get, "/v1/workspaces/\(b.slug)", auth: .bearer(bKey.key)).status == .ok)
        }
    }

    /// Every RFC 3339 date-time is accepted (year 0001 and offsets up to ±23:59 included: all
    /// lie inside PostgreSQL's range); anything else is 400.
    @Test func nonDatesAre400AndEveryRFC3339DateIsAccepted() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            for query in ["since=not-a-date", "since=2020-13-01T00:00:00Z", "until=2020-01-01T24:00:00Z", "since=2020-01-01T00:00:00%2B24:00",
                          "since=2020-01-01"] {
                try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log?\(query)", auth: .bearer(ws.key))
                    .expectErrorEnvelope(.badRequest, "invalid_request")
            }
            for query in ["since=0001-01-01T00:00:00Z", "until=9999-12-31T23:59:59Z", "since=2020-01-01T00:00:00.97%2B21:53",
                          "until=2020-01-01T00:00:00-23:59"] {
                let reply = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log?\(query)", auth: .bearer(ws.key))
                #expect(reply.status == .ok, "\(query): \(reply.text)")
            }
            let fractional = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log?since=2020-01-01T00:00:00.5Z", auth: .bearer(ws.key))
            #expect(fractional.status == .ok, "\(fractional.text)")
            let key = try await client.call(.post, "/v1/workspaces/\(ws.slug)/api-keys", auth: .bearer(ws.key),
                                            json: #"{"name": "x", "role": "viewer", "expires_at": "2099-01-01T00:00:00.250Z"}"#)
            #expect(key.status == .created, "\(key.text)")
            #expect((key.json["expires_at"] as? String)?.hasPrefix("2099-01-01T00:00:00.25") == true, "\(key.text)")
        }
    }

    @Test func unknownRoutesGetTheEnvelope() async throws {
        try await TestAPI.run { _, client in
            try await client.call(.get, "/v1/nothing-here").expectErrorEnvelope(.notFound, "not_found")
            try await client.call(.get, "/v1/workspaces/x/../../etc/passwd").expectErrorEnvelope(.notFound, "not_found")
        }
    }
}
