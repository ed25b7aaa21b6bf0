import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilServices

/// Baselines from two days ago, the last minutes twice as slow on one endpoint: the analysis
/// raises a regression alert (and resolves it when the threshold allows), and the insights list
/// the regression, the stable endpoint, trends and recommendations.
struct PerformanceInsightsAPITests {
    static func ingest(_ client: some TestClientProtocol, _ ws: (id: String, slug: String, key: String), at time: Date,
                       _ points: [(endpoint: String, value: Double, count: Int)]) async throws {
        let iso = ISO8601DateFormatter()
        var body: [[String: Any]] = []
        for point in points {
            for index in 0..<point.count {
                body.append(["name": "http.request.duration", "kind": "timing", "value": point.value + Double(index % 5),
                             "timestamp": iso.string(from: time.addingTimeInterval(Double(index))), "tags": ["endpoint": point.endpoint]])
            }
        }
        let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: try metricBody(body))
        #expect(reply.status == .ok, "\(reply.text)")
    }

    @Test func aSlowerEndpointIsARegressionAlertedAndListed() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let now = api.clock.now
            try await Self.ingest(client, ws, at: now.addingTimeInterval(-2 * 86_400), [("/api/a", 100, 40), ("/api/b", 100, 40)])
            try await Self.ingest(client, ws, at: now.addingTimeInterval(-300), [("/api/a", 200, 40), ("/api/b", 100, 40)])
            let workspace = try await api.services.workspaces.find(reference: ws.slug)
            let insights = api.services.performanceInsights
            #expect(try await insights.refreshBaselines(in: workspace) == 2)

            let analysis = try await insights.analyze(in: workspace)
            #expect(Dictionary(uniqueKeysWithValues: analysis.map { ($0.group, $0.verdict) }) == ["/api/a": .regression, "/api/b": .stable])
            let open = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?state=triggered", auth: .bearer(ws.key))
            let alerts = try #require(open.json["items"] as? [[String: Any]])
            #expect(alerts.count == 1 && (alerts.first?["labels"] as? [String: String])?["group"] == "/api/a", "\(open.text)")
            _ = try await insights.analyze(in: workspace)
            #expect(((try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?state=triggered", auth: .bearer(ws.key))).json["items"] as? [[String: Any]])?.count == 1,
                    "a regression still there is the same alert")

            let reply = try await client.call(.get, "/v1/workspaces/\(ws.slug)/insights/performance", auth: .bearer(ws.key))
            #expect(reply.status == .ok, "\(reply.text)")
            let regressions = try #require(reply.json["regressions"] as? [[String: Any]])
            #expect(regressions.map { $0["group"] as? String } == ["/api/a"])
            let change = try #require(regressions.first?["change_percent"] as? Double)
            #expect(change > 80 && change < 120, "p95 roughly doubled: \(change)")
            #expect(reply.json["stable"] as? Int == 1)
            #expect(reply.json["baseline_computed_at"] is String)
            let trends = try #require(reply.json["trends"] as? [[String: Any]])
            #expect(trends.count == 2 && trends.allSatisfy { ($0["daily_p95"] as? [Any])?.count == 7 })
            let advice = try #require(reply.json["recommendations"] as? [[String: Any]])
            #expect(advice.first?["level"] as? String == "critical" && (advice.first?["message"] as? String)?.contains("/api/a") == true)

            // With a threshold the change does not reach, the regression is over and its alert resolved.
            _ = try await insights.analyze(in: workspace, thresholdPercent: 500)
            let after = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?state=triggered", auth: .bearer(ws.key))
            #expect((after.json["items"] as? [[String: Any]])?.isEmpty == true, "\(after.text)")
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/insights/performance?threshold_percent=0", auth: .bearer(ws.key))
                .expectErrorEnvelope(.badRequest, "invalid_request")

            // The workspace's own threshold: at 150 % the doubled endpoint is no regression.
            let patched = try await client.call(.patch, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key),
                                                json: #"{"settings":{"performance":{"regression_threshold_percent":150}}}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            let lenient = try await client.call(.get, "/v1/workspaces/\(ws.slug)/insights/performance", auth: .bearer(ws.key))
            #expect((lenient.json["regressions"] as? [[String: Any]])?.isEmpty == true && lenient.json["threshold_percent"] as? Double == 150,
                    "\(lenient.text)")
            try await client.call(.patch, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key),
                                  json: #"{"settings":{"performance":{"regression_threshold_percent":0.5}}}"#).expectErrorEnvelope(.badRequest, "invalid_request")
        }
    }

    @Test func theFanOutReachesWorkspacesWithTimingsOnly() async throws {
        try await TestAPI.run { api, client in
            let timed = try await client.createWorkspace()
            _ = try await client.createWorkspace()
            try await Self.ingest(client, timed, at: api.clock.now, [("/", 10, 1)])
            #expect(try await api.workerServices.performanceInsights.dispatch(.analyze) == 1)
            #expect(try await api.workerServices.performanceInsights.dispatch(.analyze) == 0)
            #expect(try await api.workerServices.performanceInsights.dispatch(.baselines) == 1, "each task has its own pending job")
        }
    }

    /// The insights are computed per request: a metric whose 7-day read would pass the
    /// workspace's `max_query_cost` is skipped (no trends, no comparison), never read unbounded.
    @Test func aMetricPastTheQueryCostIsSkippedNotReadUnbounded() async throws {
        try await TestAPI.run(limits: WorkspaceLimits(maxQueryCost: 5_000)) { api, client in
            let ws = try await client.createWorkspace()
            let now = api.clock.now
            try await Self.ingest(client, ws, at: now.addingTimeInterval(-2 * 86_400), [("/api/a", 100, 30)])
            try await Self.ingest(client, ws, at: now.addingTimeInterval(-300), [("/api/a", 300, 30)])
            let workspace = try await api.services.workspaces.find(reference: ws.slug)
            #expect(try await api.services.performanceInsights.refreshBaselines(in: workspace) == 0, "7 days × 1 series > 5,000: no baseline")
            let reply = try await client.call(.get, "/v1/workspaces/\(ws.slug)/insights/performance", auth: .bearer(ws.key))
            #expect(reply.status == .ok, "\(reply.text)")
            #expect((reply.json["trends"] as? [Any])?.isEmpty == true && (reply.json["regressions"] as? [Any])?.isEmpty == true)
        }
    }
}
