import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

struct DashboardsAPITests {
    @Test func graphqlMutationsFromIngestedTimings() async throws {
        try await TestAPI.run(maxBodyBytes: 4 * 1024 * 1024) { _, client in
            let ws = try await client.createWorkspace()
            var points: [[String: Any]] = []
            for i in 0..<100 {
                let failed = i < 10
                var tags = ["mutation": i % 2 == 0 ? "createUser" : "updateOrder", "status": failed ? "error" : "success"]
                if failed { tags["error_type"] = "ValidationError" }
                points.append(["name": "graphql.mutation.duration", "kind": "timing", "value": Double(100 + i * 10), "tags": tags])
            }
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: try metricBody(points)).status == .ok)

            let reply = try await client.call(.get, "/v1/workspaces/\(ws.slug)/dashboards/graphql-mutations?window=60", auth: .bearer(ws.key))
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json["dashboard"] as? String == "graphql-mutations")
            let statistics = try #require(reply.json["statistics"] as? [String: Any])
            #expect(statistics["total_mutations"] as? Int == 100)
            #expect(statistics["failed_mutations"] as? Int == 10)
            #expect(statistics["success_rate"] as? Double == 90)
            #expect((statistics["error_breakdown"] as? [String: Any])?["ValidationError"] as? Int == 10)
            #expect((reply.json["slo"] as? [[String: Any]])?.isEmpty == false)
            // 10 % failures is past the 5 % critical threshold.
            let levels = (reply.json["recommendations"] as? [[String: Any]])?.compactMap { $0["level"] as? String } ?? []
            #expect(levels.contains("critical"), "\(reply.text)")
        }
    }

    @Test(arguments: ["graphql-mutations", "graphql-validation", "websocket", "task-idempotency"])
    func everyDashboardAnswersNoDataWithoutMetrics(_ dashboard: String) async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let reply = try await client.call(.get, "/v1/workspaces/\(ws.slug)/dashboards/\(dashboard)", auth: .bearer(ws.key))
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json["dashboard"] as? String == dashboard)
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/dashboards/\(dashboard)?window=0", auth: .bearer(ws.key))
                .expectErrorEnvelope(.badRequest, "invalid_request")
        }
    }

    @Test func unknownDashboardIs404Or400() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let reply = try await client.call(.get, "/v1/workspaces/\(ws.slug)/dashboards/nope", auth: .bearer(ws.key))
            #expect([.badRequest, .notFound].contains(reply.status))
            #expect(reply.errorCode != nil)
        }
    }
}
