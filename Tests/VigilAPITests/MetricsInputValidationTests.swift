import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Malformed and hostile ingest bodies: each gets a 400 naming the field (or 413/415), and
/// nothing stored before is lost or changed.
struct MetricsInputValidationTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var body: String
        var status: HTTPResponse.Status = .badRequest
        /// The `details.field` the error must name (nil: not checked).
        var field: String?
    }

    static let now = Date()
    static func point(_ fields: String) -> String { #"{"points":[{"name":"ok","kind":"gauge","value":1},\#(fields)]}"# }
    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }
    static let manyTags = (0..<33).map { #""k\#($0)":"v""# }.joined(separator: ",")
    static let tooMany = "{\"points\":[" + Array(repeating: #"{"name":"a","kind":"gauge","value":1}"#, count: 10_001).joined(separator: ",") + "]}"

    static let cases: [Case] = [
        Case(description: "not JSON", body: "{"),
        Case(description: "empty batch", body: #"{"points":[]}"#, field: "points"),
        Case(description: "10,001 points", body: tooMany, field: "points"),
        Case(description: "value is a string", body: point(#"{"name":"x","kind":"gauge","value":"abc"}"#)),
        Case(description: "NaN literal", body: point(#"{"name":"x","kind":"gauge","value":NaN}"#)),
        Case(description: "Infinity literal", body: point(#"{"name":"x","kind":"gauge","value":Infinity}"#)),
        Case(description: "huge number", body: point(#"{"name":"x","kind":"gauge","value":1e400}"#)),
        Case(description: "value beyond the limit", body: point(#"{"name":"x","kind":"gauge","value":1e200}"#), field: "points[1].value"),
        Case(description: "negative counter", body: point(#"{"name":"x","kind":"counter","value":-1}"#), field: "points[1].value"),
        Case(description: "unknown kind", body: point(#"{"name":"x","kind":"histogram","value":1}"#)),
        Case(description: "missing name", body: point(#"{"kind":"gauge","value":1}"#)),
        Case(description: "bad name characters", body: point(#"{"name":"a b/c","kind":"gauge","value":1}"#), field: "points[1].name"),
        Case(description: "name too long", body: point(#"{"name":"\#(String(repeating: "a", count: 201))","kind":"gauge","value":1}"#),
             field: "points[1].name"),
        Case(description: "timestamp not a date", body: point(#"{"name":"x","kind":"gauge","value":1,"timestamp":"yesterday"}"#)),
        Case(description: "timestamp 2 h ahead", body: point(#"{"name":"x","kind":"gauge","value":1,"timestamp":"\#(iso(now.addingTimeInterval(7200)))"}"#),
             field: "points[1].timestamp"),
        Case(description: "timestamp before retention", body: point(#"{"name":"x","kind":"gauge","value":1,"timestamp":"\#(iso(now.addingTimeInterval(-91 * 86400)))"}"#),
             field: "points[1].timestamp"),
        Case(description: "33 tags", body: point(#"{"name":"x","kind":"gauge","value":1,"tags":{\#(manyTags)}}"#), field: "points[1].tags"),
        Case(description: "tag value too long", body: point(#"{"name":"x","kind":"gauge","value":1,"tags":{"k":"\#(String(repeating: "v", count: 1001))"}}"#),
             field: "points[1].tags.k"),
        Case(description: "tag value not a string", body: point(#"{"name":"x","kind":"gauge","value":1,"tags":{"k":5}}"#)),
        Case(description: "bad tag name", body: point(#"{"name":"x","kind":"gauge","value":1,"tags":{"user id":"v"}}"#)),
        Case(description: "points not an array", body: #"{"points":{"name":"x"}}"#),
    ]

    @Test(arguments: cases)
    func rejectedWholeAndNothingLost(_ testCase: Case) async throws {
        try await TestAPI.run(maxBodyBytes: 4 * 1024 * 1024) { _, client in
            let ws = try await client.createWorkspace()
            let seed = #"{"points":[{"name":"ok","kind":"gauge","value":5}]}"#
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: seed).status == .ok)

            let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: testCase.body)
            reply.expectErrorEnvelope(testCase.status, "invalid_request")
            if let field = testCase.field {
                #expect((reply.json["error"] as? [String: Any]).flatMap { $0["details"] as? [String: Any] }?["field"] as? String == field,
                        "\(reply.text)")
            }
            // The batch was rejected whole (its valid first point too) and the earlier point is intact.
            let stats = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/ok/stats", auth: .bearer(ws.key))
            #expect(stats.json["count"] as? Int == 1)
            #expect(stats.json["max"] as? Double == 5)
        }
    }

    @Test func sqlLookingValuesAreStoredAsDataAndHarmNothing() async throws {
        try await TestAPI.run(maxBodyBytes: 4 * 1024 * 1024) { api, client in
            let ws = try await client.createWorkspace()
            let hostile = #"{"points":[{"name":"q","kind":"gauge","value":1,"tags":{"sql":"x'); DROP TABLE metric_points; --","path":"../../etc/passwd","nul":"a\u0000b"}}]}"#
            let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: hostile)
            // A NUL cannot be stored by PostgreSQL: rejected with the field named, nothing stored.
            reply.expectErrorEnvelope(.badRequest, "invalid_request")
            let withoutNul = #"{"points":[{"name":"q","kind":"gauge","value":1,"tags":{"sql":"x'); DROP TABLE metric_points; --","path":"../../etc/passwd"}}]}"#
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: withoutNul).status == .ok)
            let stats = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/q/stats?group_by=path", auth: .bearer(ws.key))
            #expect(stats.json["count"] as? Int == 1)
            #expect((stats.json["groups"] as? [String: Any])?.keys.contains("../../etc/passwd") == true)
            #expect(try await api.ownerDouble("SELECT count(*)::double precision AS v FROM metric_points") == 1)
        }
    }

    @Test func syntaxErrorsSayWhereTheBodyBroke() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key),
                                              json: #"{"points":[{"name":"x","kind":"gauge","value":1,}]}"#)
            reply.expectErrorEnvelope(.badRequest, "invalid_request")
            let message = (reply.json["error"] as? [String: Any])?["message"] as? String ?? ""
            // 0-based offset of the `}` after the trailing comma.
            #expect(message.contains("at byte 48"), "\(message)")
        }
    }

    @Test func aMetricKeepsItsKind() async throws {
        try await TestAPI.run(maxBodyBytes: 4 * 1024 * 1024) { _, client in
            let ws = try await client.createWorkspace()
            let gauge = #"{"points":[{"name":"depth","kind":"gauge","value":3}]}"#
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: gauge).status == .ok)
            let counter = #"{"points":[{"name":"other","kind":"gauge","value":1},{"name":"depth","kind":"counter","value":1}]}"#
            let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: counter)
            reply.expectErrorEnvelope(.badRequest, "invalid_request")
            #expect(((reply.json["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String == "points[1].kind")
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/other/stats", auth: .bearer(ws.key))
                .expectErrorEnvelope(.notFound, "not_found")
            let mixed = #"{"points":[{"name":"m2","kind":"gauge","value":1},{"name":"m2","kind":"timing","value":1}]}"#
            try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: mixed)
                .expectErrorEnvelope(.badRequest, "invalid_request")
        }
    }

    @Test(arguments: ["stats?window=0", "stats?window=129601", "stats?window=abc", "stats?group_by=a%20b", "stats?tag.bad%20key=1",
                      "series?window=60&step=0", "series?window=1440&step=1&stat=p42", "series?window=129600&step=1"])
    func badQueriesAre400(_ query: String) async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key),
                                          json: #"{"points":[{"name":"m","kind":"timing","value":1}]}"#).status == .ok)
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/m/\(query)", auth: .bearer(ws.key))
                .expectErrorEnvelope(.badRequest, "invalid_request")
        }
    }
}
