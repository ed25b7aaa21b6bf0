import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresClient
import Testing
import VigilCore
import VigilRepositories
import VigilServices
import VigilTestFixtures

struct MetricsAPITests {
    static let body4MiB = 4 * 1024 * 1024

    /// 3,000 timing points over the last 30 minutes, 10 % of them status 500.
    func seedLatencies(_ client: any TestClientProtocol, _ ws: TestWorkspace) async throws {
        var values = SeededValues(seed: 42)
        let now = Date()
        for batch in 0..<3 {
            var points: [[String: Any]] = []
            for i in 0..<1000 {
                let status = (batch * 1000 + i) % 10 == 0 ? "500" : "200"
                let at = now.addingTimeInterval(-Double((batch * 1000 + i) % 1800))
                points.append(["name": "http.request.duration", "kind": "timing", "value": values.latency(),
                               "timestamp": at.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)),
                               "tags": ["endpoint": "/api/users", "status": status]])
            }
            let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: try metricBody(points))
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json["accepted"] as? Int == 1000)
        }
    }

    func exact(_ api: TestAPI, _ ws: TestWorkspace, _ aggregate: String, status: String? = nil) async throws -> Double? {
        try await api.ownerDouble("""
            SELECT \(unescaped: aggregate)::double precision AS v FROM metric_points p
              JOIN metric_series s ON s.workspace_id = p.workspace_id AND s.series_id = p.series_id
             WHERE p.workspace_id = \(UUID(uuidString: ws.id)!) AND s.name = 'http.request.duration'
               AND (\(status)::text IS NULL OR s.tags->>'status' = \(status))
            """)
    }

    @Test func statsAgreeWithPercentileContWithinTheSketchErrorBeforeAndAfterCompaction() async throws {
        try await TestAPI.run(maxBodyBytes: Self.body4MiB) { api, client in
            let ws = try await client.createWorkspace()
            try await seedLatencies(client, ws)

            func check(_ stats: [String: Any], status: String?) async throws {
                #expect(stats["count"] as? Int == Int(try await exact(api, ws, "count(*)", status: status) ?? -1))
                #expect(stats["min"] as? Double == (try await exact(api, ws, "min(value)", status: status)))
                #expect(stats["max"] as? Double == (try await exact(api, ws, "max(value)", status: status)))
                let sum = try #require(try await exact(api, ws, "sum(value)", status: status))
                #expect(abs((stats["sum"] as? Double ?? 0) - sum) <= 1e-6 * sum)
                for q in ["50", "95", "99"] {
                    let reference = try await exact(api, ws, "percentile_cont(0.\(q)) WITHIN GROUP (ORDER BY value)", status: status)
                    expectWithinSketchError(stats["p\(q)"] as? Double, reference, "p\(q) status=\(status ?? "all")")
                }
            }
            let reply = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/http.request.duration/stats?window=60&group_by=status",
                                              auth: .bearer(ws.key))
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json["window_minutes"] as? Int == 60)
            #expect(reply.json["kind"] as? String == "timing")
            try await check(reply.json, status: nil)
            let groups = try #require(reply.json["groups"] as? [String: [String: Any]])
            #expect(Set(groups.keys) == ["200", "500"])
            try await check(try #require(groups["500"]), status: "500")
            try await check(try #require(groups["200"]), status: "200")

            // Without group_by the metric's total rollups answer: the same numbers.
            let plain = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/http.request.duration/stats?window=60",
                                              auth: .bearer(ws.key))
            try await check(plain.json, status: nil)
            for field in ["count", "min", "max", "p50", "p95", "p99"] {
                #expect("\(plain.json[field] ?? "-")" == "\(reply.json[field] ?? "-")", "\(field)")
            }

            // A tag filter gives the same numbers as the group.
            let filtered = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/http.request.duration/stats?tag.status=500",
                                                 auth: .bearer(ws.key))
            try await check(filtered.json, status: "500")
            // The repeatable tag=<name>=<value> form answers the same, and wins over the older form.
            let entry = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/http.request.duration/stats?tag=status%3D500&tag.status=200",
                                              auth: .bearer(ws.key))
            #expect(entry.status == .ok, "\(entry.text)")
            try await check(entry.json, status: "500")
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/http.request.duration/stats?tag=status",
                                  auth: .bearer(ws.key)).expectErrorEnvelope(.badRequest, "invalid_request")

            // Compaction merges the partial rollups without changing any answer.
            let partials = try await api.ownerDouble("SELECT count(*)::double precision AS v FROM metric_rollups")
            let merged = try await RollupCompactionService(database: api.services.database).compactAll()
            #expect(merged > 0)
            let rows = try await api.ownerDouble("SELECT count(*)::double precision AS v FROM metric_rollups")
            #expect(rows! < partials!)
            let after = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/http.request.duration/stats?window=60&group_by=status",
                                              auth: .bearer(ws.key))
            #expect(after.json["count"] as? Int == reply.json["count"] as? Int)
            #expect(after.json["p95"] as? Double == reply.json["p95"] as? Double)
            #expect(after.json["p99"] as? Double == reply.json["p99"] as? Double)

            // A window that ends before the points: nothing.
            let series = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/http.request.duration/series?window=60&step=10&stat=count",
                                               auth: .bearer(ws.key))
            #expect(series.status == .ok, "\(series.text)")
            let buckets = try #require(series.json["points"] as? [[String: Any]])
            #expect(buckets.compactMap { $0["count"] as? Int }.reduce(0, +) == 3000)
            #expect(buckets.allSatisfy { ($0["value"] as? Double) == Double($0["count"] as? Int ?? -1) })

            // Whole-hour steps read hour rows and the minute edges around them, in one statement
            // of OR-ed ranges: every point is counted once.
            let hourly = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/http.request.duration/series?window=180&step=60&stat=count",
                                               auth: .bearer(ws.key))
            #expect(hourly.status == .ok, "\(hourly.text)")
            #expect(try #require(hourly.json["points"] as? [[String: Any]]).compactMap { $0["count"] as? Int }.reduce(0, +) == 3000)
        }
    }

    /// Plain stats read the metric's kind and its total series' rollups in one statement: a
    /// known metric with nothing in the window is an empty answer, an unknown one is 404, and
    /// one metric's rollups never answer for another's.
    @Test func plainStatsTellAnEmptyWindowFromAnUnknownMetric() async throws {
        try await TestAPI.run(maxBodyBytes: Self.body4MiB) { _, client in
            let ws = try await client.createWorkspace()
            let stamp = { (ago: Double) in Date().addingTimeInterval(-ago).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)) }
            let body = try metricBody([
                ["name": "old.latency", "kind": "timing", "value": 7.0, "timestamp": stamp(3 * 3600)],
                ["name": "new.latency", "kind": "timing", "value": 9.0, "timestamp": stamp(60)],
                ["name": "new.latency", "kind": "timing", "value": 11.0, "timestamp": stamp(120)],
            ])
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: body).status == .ok)
            func stats(_ path: String) async throws -> Reply {
                try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/\(path)", auth: .bearer(ws.key))
            }
            let empty = try await stats("old.latency/stats?window=60")
            #expect(empty.status == .ok, "\(empty.text)")
            #expect(empty.json["count"] as? Int == 0 && empty.json["kind"] as? String == "timing")
            let wide = try await stats("old.latency/stats?window=240")
            #expect(wide.json["count"] as? Int == 1 && wide.json["max"] as? Double == 7.0, "\(wide.text)")
            let recent = try await stats("new.latency/stats?window=60")
            #expect(recent.json["count"] as? Int == 2 && recent.json["min"] as? Double == 9.0, "\(recent.text)")
            try await stats("no.such.metric/stats?window=60").expectErrorEnvelope(.notFound, "not_found")
        }
    }

    @Test func namesListTheKindAndLastSeen() async throws {
        try await TestAPI.run(maxBodyBytes: Self.body4MiB) { _, client in
            let ws = try await client.createWorkspace()
            let body = try metricBody([
                ["name": "jobs.queue_depth", "kind": "gauge", "value": -3],
                ["name": "http.requests", "kind": "counter", "value": 2, "tags": ["status": "200"]],
            ])
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: body).status == .ok)
            let list = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key))
            let items = try #require(list.json["items"] as? [[String: Any]])
            #expect(items.map { $0["name"] as? String } == ["http.requests", "jobs.queue_depth"])
            #expect(items.map { $0["kind"] as? String } == ["counter", "gauge"])
            #expect(items.allSatisfy { $0["last_seen"] is String })
            let paged = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics?limit=1", auth: .bearer(ws.key))
            let cursor = try #require(paged.json["next_cursor"] as? String)
            let rest = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics?limit=1&cursor=\(cursor)", auth: .bearer(ws.key))
            #expect((rest.json["items"] as? [[String: Any]])?.first?["name"] as? String == "jobs.queue_depth")
        }
    }

    @Test func tenantsNeverSeeEachOthersMetrics() async throws {
        try await TestAPI.run(maxBodyBytes: Self.body4MiB) { _, client in
            let a = try await client.createWorkspace()
            let b = try await client.createWorkspace()
            let body = try metricBody([["name": "secret.metric", "kind": "gauge", "value": 42, "tags": ["team": "a-only"]]])
            #expect(try await client.call(.post, "/v1/workspaces/\(a.slug)/metrics", auth: .bearer(a.key), json: body).status == .ok)
            try await client.call(.get, "/v1/workspaces/\(a.slug)/metrics/secret.metric/stats", auth: .bearer(b.key))
                .expectErrorEnvelope(.notFound, "not_found")
            try await client.call(.post, "/v1/workspaces/\(a.slug)/metrics", auth: .bearer(b.key), json: body)
                .expectErrorEnvelope(.notFound, "not_found")
            try await client.call(.get, "/v1/workspaces/\(b.slug)/metrics/secret.metric/stats", auth: .bearer(b.key))
                .expectErrorEnvelope(.notFound, "not_found")
            let bList = try await client.call(.get, "/v1/workspaces/\(b.slug)/metrics", auth: .bearer(b.key))
            #expect((bList.json["items"] as? [Any])?.isEmpty == true)
            let bExport = try await client.call(.get, "/v1/workspaces/\(b.slug)/metrics/export", auth: .bearer(b.key))
            #expect(!bExport.text.contains("secret"))
            // The same name in B is B's own series.
            let other = try metricBody([["name": "secret.metric", "kind": "gauge", "value": 7]])
            #expect(try await client.call(.post, "/v1/workspaces/\(b.slug)/metrics", auth: .bearer(b.key), json: other).status == .ok)
            let bStats = try await client.call(.get, "/v1/workspaces/\(b.slug)/metrics/secret.metric/stats", auth: .bearer(b.key))
            #expect(bStats.json["count"] as? Int == 1)
            #expect(bStats.json["max"] as? Double == 7)
        }
    }

    @Test func personalDataInTagsIsRedactedBeforeStorage() async throws {
        try await TestAPI.run(maxBodyBytes: Self.body4MiB) { api, client in
            let ws = try await client.createWorkspace()
            let body = try metricBody([["name": "logins", "kind": "counter", "value": 1,
                                        "tags": ["user": "alice@example.com", "path": "/api/users/12345/profile", "client_ip": "10.1.2.3"]]])
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: body).status == .ok)
            let stored = try await api.ownerDouble("""
                SELECT count(*)::double precision AS v FROM metric_series
                 WHERE tags->>'user' = '[EMAIL]' AND tags->>'path' = '/api/users/[ID]/profile' AND tags->>'client_ip' = '[IP]'
                """)
            #expect(stored == 1)
            let leaks = try await api.ownerDouble("""
                SELECT count(*)::double precision AS v FROM metric_series WHERE tags::text LIKE '%alice%' OR tags::text LIKE '%10.1.2.3%'
                """)
            #expect(leaks == 0)
        }
    }

    /// A scrape is capped whatever the series limit: past `maxSeries` it says it was truncated.
    @Test func exportIsCappedAndSaysSo() async throws {
        try await TestAPI.run(maxBodyBytes: Self.body4MiB) { api, client in
            let ws = try await client.createWorkspace()
            let body = try metricBody((0..<3).map { ["name": "queue.depth", "kind": "gauge", "value": 1, "tags": ["q": "q\($0)"]] })
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: body).status == .ok)
            let workspace = try await api.services.workspaces.find(reference: ws.slug)
            var export = api.services.metricExport
            export.maxSeries = 2
            let capped = try await export.export(workspaceID: workspace.id)
            #expect(capped.components(separatedBy: "\n").filter { $0.hasPrefix("queue_depth{") }.count == 2, "\(capped)")
            #expect(capped.hasSuffix("# vigil: export truncated at 2 series\n"))
            export.maxSeries = 3
            let whole = try await export.export(workspaceID: workspace.id)
            #expect(whole.components(separatedBy: "\n").filter { $0.hasPrefix("queue_depth{") }.count == 3 && !whole.contains("truncated"))
        }
    }

    @Test func exportIsValidPrometheusText() async throws {
        try await TestAPI.run(maxBodyBytes: Self.body4MiB) { _, client in
            let ws = try await client.createWorkspace()
            let body = try metricBody([
                ["name": "http.requests", "kind": "counter", "value": 2, "tags": ["status": "200", "quote": "say \"hi\"\\n"]],
                ["name": "http.requests", "kind": "counter", "value": 3, "tags": ["status": "200", "quote": "say \"hi\"\\n"]],
                ["name": "queue.depth", "kind": "gauge", "value": 7],
                ["name": "http.request.duration", "kind": "timing", "value": 12.5, "tags": ["endpoint": "/api/users"]],
            ])
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: body).status == .ok)
            let export = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/export", auth: .bearer(ws.key))
            #expect(export.status == .ok)
            #expect(export.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(export.text.contains("# TYPE http_requests_total counter"))
            #expect(export.text.contains("queue_depth 7"))
            #expect(export.text.contains("http_request_duration_count{endpoint=\"/api/users\"} 1"))
            #expect(export.text.range(of: #"http_requests_total\{.*\} 5"#, options: .regularExpression) != nil, "\(export.text)")

            let (status, said) = try Promtool.checkMetrics(export.text)
            #expect([0, 3].contains(status), "promtool (CI installs the prometheus package): \(said)")
            #expect(!said.contains("error"), "\(said)")
        }
    }

    @Test func theIngestQuotaAnswers429WithRetryAfter() async throws {
        try await TestAPI.run(maxBodyBytes: Self.body4MiB, limits: WorkspaceLimits(ingestPointsPerMinute: 5)) { api, client in
            let ws = try await client.createWorkspace()
            // Both batches must fall in one minute of the limiter's clock: start 5 s into a minute
            // (on a slow machine the two requests once straddled a boundary, and the second was admitted).
            let second = api.clock.now.timeIntervalSince1970.truncatingRemainder(dividingBy: 60)
            api.clock.advance(by: (65 - second).truncatingRemainder(dividingBy: 60))
            let three = try metricBody(Array(repeating: ["name": "m", "kind": "gauge", "value": 1], count: 3))
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: three).status == .ok)
            let refused = try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: three)
            refused.expectErrorEnvelope(.tooManyRequests, "rate_limited")
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            let stats = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/m/stats", auth: .bearer(ws.key))
            #expect(stats.json["count"] as? Int == 3, "the refused batch stored nothing")
        }
    }
}
