import Foundation
import Testing

/// The paging contract every collection shares (API-CONVENTIONS, Lists), pinned across all of
/// them now that one helper implements it: the same 400s for a bad `limit` or `cursor`, cursor
/// wire formats that clients may hold (so literal cursors here, not ones the server just made),
/// and a full page always offering a next cursor.
struct ListPagingTests {
    static let workspaceLists = ["api-keys", "audit-log", "alerts", "notifications", "channels", "routes", "escalation-policies",
                                 "silences", "inhibit-rules", "compliance/reports", "jobs", "metrics"]

    static func expectInvalid(_ reply: Reply, field: String, message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        reply.expectErrorEnvelope(.badRequest, "invalid_request", sourceLocation: sourceLocation)
        let error = reply.json["error"] as? [String: Any]
        #expect(error?["message"] as? String == message, "\(reply.text)", sourceLocation: sourceLocation)
        #expect((error?["details"] as? [String: Any])?["field"] as? String == field, "\(reply.text)", sourceLocation: sourceLocation)
    }

    @Test("every list rejects a bad limit or cursor with the same message; the limit is checked first")
    func badParameters() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let uris = Self.workspaceLists.map { ("/v1/workspaces/\(ws.slug)/\($0)", ws.key) } + [("/v1/workspaces", TestAPI.adminToken)]
            for (uri, key) in uris {
                Self.expectInvalid(try await client.call(.get, "\(uri)?limit=0", auth: .bearer(key)), field: "limit", message: "limit must be between 1 and 500")
                Self.expectInvalid(try await client.call(.get, "\(uri)?limit=501", auth: .bearer(key)), field: "limit", message: "limit must be between 1 and 500")
                Self.expectInvalid(try await client.call(.get, "\(uri)?cursor=garbage", auth: .bearer(key)), field: "cursor", message: "cursor is not valid")
                Self.expectInvalid(try await client.call(.get, "\(uri)?limit=0&cursor=garbage", auth: .bearer(key)), field: "limit",
                                   message: "limit must be between 1 and 500")
                let fine = try await client.call(.get, "\(uri)?limit=500", auth: .bearer(key))
                #expect(fine.status == .ok, "\(uri): \(fine.text)")
            }
        }
    }

    @Test("cursors in the formats already handed out keep working: time, sequence and name")
    func issuedCursorFormats() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            for name in ["one", "two"] { _ = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer", name: name) }

            // t1|4102444800000000|ffffffff-…: a position after every row, so the first page again.
            let first = try await client.call(.get, "/v1/workspaces/\(ws.slug)/api-keys", auth: .bearer(ws.key))
            let fromFuture = try await client.call(.get, "/v1/workspaces/\(ws.slug)/api-keys?cursor=dDF8NDEwMjQ0NDgwMDAwMDAwMHxmZmZmZmZmZi1mZmZmLWZmZmYtZmZmZi1mZmZmZmZmZmZmZmY",
                                                  auth: .bearer(ws.key))
            #expect(fromFuture.status == .ok, "\(fromFuture.text)")
            #expect((fromFuture.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                    == (first.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String })

            // s1|3: the audit entries before sequence number 3.
            let audit = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log?cursor=czF8Mw", auth: .bearer(ws.key))
            #expect((audit.json["items"] as? [[String: Any]])?.compactMap { ($0["seq"] as? NSNumber)?.intValue } == [2, 1], "\(audit.text)")

            // n1|b: the metric names after "b".
            let now = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            let body = try metricBody(["a", "b", "c"].map { ["name": $0, "kind": "gauge", "value": 1, "timestamp": now] })
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: body).status == .ok)
            let names = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics?cursor=bjF8Yg", auth: .bearer(ws.key))
            #expect((names.json["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["c"], "\(names.text)")
        }
    }

    @Test("a full page offers a next cursor; when the rows end exactly there, the next page is empty and ends the list")
    func fullPageOffersACursor() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            _ = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer")
            let page = try await client.call(.get, "/v1/workspaces/\(ws.slug)/api-keys?limit=2", auth: .bearer(ws.key))
            #expect((page.json["items"] as? [Any])?.count == 2)
            let cursor = try #require(page.json["next_cursor"] as? String)
            let rest = try await client.call(.get, "/v1/workspaces/\(ws.slug)/api-keys?limit=2&cursor=\(cursor)", auth: .bearer(ws.key))
            #expect((rest.json["items"] as? [Any])?.isEmpty == true, "\(rest.text)")
            #expect(rest.json["next_cursor"] == nil || rest.json["next_cursor"] is NSNull)
        }
    }
}
