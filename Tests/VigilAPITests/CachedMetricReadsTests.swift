import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
import VigilCore
@testable import VigilAPI
import VigilServices
import VigilTestFixtures

/// Metric stats and series answer from memory while the workspace's rollups and series are
/// unchanged (migration 0030's version, bumped by every statement that writes them, from any
/// process), never across workspaces, never after the key is revoked, and never once the
/// window has moved on to another minute.
struct CachedMetricReadsTests {
    static func ingest(_ values: [Double], name: String = "api.latency", into ws: (id: String, slug: String, key: String),
                       client: some TestClientProtocol) async throws {
        let now = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        let points = values.map { ["name": name, "kind": "timing", "value": $0, "timestamp": now, "tags": ["host": "a"]] as [String: Any] }
        let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: try metricBody(points))
        #expect(reply.status == .ok, "\(reply.text)")
    }

    @Test func statsAndSeriesAreServedFromMemoryUntilTheRollupsChange() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let stats = "/v1/workspaces/\(ws.slug)/metrics/api.latency/stats?window=60"
            let series = "/v1/workspaces/\(ws.slug)/metrics/api.latency/series?window=60&stat=max"
            try await Self.ingest([10, 20, 30], into: ws, client: client)
            let fresh = try await client.call(.get, stats, auth: .bearer(ws.key))
            #expect(fresh.json["count"] as? Int == 3)
            let freshSeries = try await client.call(.get, series, auth: .bearer(ws.key))
            #expect(freshSeries.status == .ok)

            // Rollups gone behind the version's back: the stored answers are still served.
            try await api.ownerWrite("DELETE FROM metric_rollups", workspaceID: ws.id, behindTheTriggers: true)
            #expect(try await client.call(.get, stats, auth: .bearer(ws.key)).text == fresh.text)
            #expect(try await client.call(.get, series, auth: .bearer(ws.key)).text == freshSeries.text)
            // Another query is another answer, read from the database.
            #expect(try await client.call(.get, stats + "&tag=host%3Da", auth: .bearer(ws.key)).json["count"] as? Int == 0)

            // An ingest writes rollups: the next reads are fresh.
            try await Self.ingest([40], into: ws, client: client)
            let afterIngest = try await client.call(.get, stats, auth: .bearer(ws.key))
            #expect(afterIngest.json["count"] as? Int == 1 && afterIngest.json["max"] as? Double == 40)
            #expect(try await client.call(.get, series, auth: .bearer(ws.key)).text != freshSeries.text)

            // So does any other writer of rollups in the workspace (retention, compaction, erasure).
            try await api.ownerWrite("DELETE FROM metric_rollups", workspaceID: ws.id, behindTheTriggers: false)
            #expect(try await client.call(.get, stats, auth: .bearer(ws.key)).json["count"] as? Int == 0)

            let metrics = try await client.call(.get, "/metrics").text
            #expect(metrics.contains(#"vigil_read_cache_requests_total{read="metric_stats",result="hit"} 1"#), "\(metrics)")
            #expect(metrics.contains(#"vigil_read_cache_requests_total{read="metric_series",result="hit"} 1"#), "\(metrics)")
        }
    }

    @Test func workspacesNeverShareMetricAnswersAndARevokedKeyIsRefused() async throws {
        try await TestAPI.run { api, client in
            let a = try await client.createWorkspace()
            let b = try await client.createWorkspace()
            try await Self.ingest([1, 2], into: a, client: client)
            try await Self.ingest([5, 6, 7], into: b, client: client)
            let viewer = try await client.createKey(workspace: b.slug, adminKey: b.key, role: "viewer")
            // The same path and query, in turn: each workspace sees its own numbers.
            for _ in 0..<3 {
                #expect(try await client.call(.get, "/v1/workspaces/\(a.slug)/metrics/api.latency/stats", auth: .bearer(a.key)).json["count"] as? Int == 2)
                #expect(try await client.call(.get, "/v1/workspaces/\(b.slug)/metrics/api.latency/stats", auth: .bearer(viewer.key)).json["count"] as? Int == 3)
            }
            let refused = try await client.call(.get, "/v1/workspaces/\(b.slug)/metrics/api.latency/stats", auth: .bearer(a.key))
            #expect(refused.status.code >= 400 && refused.status.code < 500 && !refused.text.contains("\"count\""))

            // Another API process revokes the viewer key: its warm answer is not served.
            let processB = Services(environment: api.services.environment)
            try await processB.apiKeys.revoke(in: UUID(uuidString: b.id)!, id: UUID(uuidString: viewer.id)!, actor: .admin,
                                              metadata: RequestMetadata(correlationID: "c", sourceIP: "127.0.0.1"))
            try await client.call(.get, "/v1/workspaces/\(b.slug)/metrics/api.latency/stats", auth: .bearer(viewer.key))
                .expectErrorEnvelope(.unauthorized, "unauthenticated")
        }
    }

    /// Requests that miss the same answer together read the database once: while the first
    /// one's read is held up (a lock on the rollups), the others wait for its answer instead of
    /// queueing their own reads behind it, and all get the same bytes.
    @Test func concurrentMissesOfOneAnswerReadTheDatabaseOnce() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let stats = "/v1/workspaces/\(ws.slug)/metrics/api.latency/stats?window=60"
            try await Self.ingest([10, 20, 30], into: ws, client: client)
            let blocker = try await api.db.ownerConnection()
            try await blocker.simpleQuery("BEGIN; LOCK TABLE metric_rollups IN ACCESS EXCLUSIVE MODE")
            let replies = Task {
                try await withThrowingTaskGroup(of: String.self) { group in
                    for _ in 0..<8 { group.addTask { try await client.call(.get, stats, auth: .bearer(ws.key)).text } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            try await Task.sleep(for: .seconds(1))
            let waiting = try await blocker.query("""
                SELECT count(*)::integer AS n FROM pg_locks WHERE NOT granted AND relation = 'metric_rollups'::regclass
                """).first?.decode("n", as: Int.self)
            try await blocker.simpleQuery("COMMIT")
            await blocker.close()
            let texts = try await replies.value
            #expect(waiting == 1, "only the leader's read reached the database")
            #expect(texts.count == 8 && Set(texts).count == 1 && texts[0].contains(#""count":3"#), "\(texts)")
            let metrics = try await client.call(.get, "/metrics").text
            #expect(metrics.contains(#"vigil_read_cache_requests_total{read="metric_stats",result="miss"} 1"#), "\(metrics)")
            #expect(metrics.contains(#"vigil_read_cache_requests_total{read="metric_stats",result="shared"} 7"#), "\(metrics)")
        }
    }

    /// The window ends with the current minute: once the clock has moved on, the stored
    /// answer is not served, although nothing was written.
    @Test func anAnswerIsNotServedOnceItsWindowHasMovedOn() async throws {
        let clock = TestClock()
        try await TestAPI.run(clock: clock) { api, client in
            let ws = try await client.createWorkspace()
            let stats = "/v1/workspaces/\(ws.slug)/metrics/api.latency/stats?window=60"
            try await Self.ingest([10, 20, 30], into: ws, client: client)
            #expect(try await client.call(.get, stats, auth: .bearer(ws.key)).json["count"] as? Int == 3)
            try await api.ownerWrite("DELETE FROM metric_rollups", workspaceID: ws.id, behindTheTriggers: true)
            #expect(try await client.call(.get, stats, auth: .bearer(ws.key)).json["count"] as? Int == 3, "same minute: from memory")
            clock.advance(by: 60)
            #expect(try await client.call(.get, stats, auth: .bearer(ws.key)).json["count"] as? Int == 0, "next minute: read again")
        }
    }

    /// `VIGIL_READ_CACHE_MB=0`: every read is read, and nothing is counted as a cache lookup.
    @Test func withTheCacheOffEveryAnswerIsRead() async throws {
        try await TestAPI.run(readCacheBytes: 0) { api, client in
            let ws = try await client.createWorkspace()
            let stats = "/v1/workspaces/\(ws.slug)/metrics/api.latency/stats?window=60"
            try await Self.ingest([10, 20, 30], into: ws, client: client)
            #expect(try await client.call(.get, stats, auth: .bearer(ws.key)).json["count"] as? Int == 3)
            try await api.ownerWrite("DELETE FROM metric_rollups", workspaceID: ws.id, behindTheTriggers: true)
            #expect(try await client.call(.get, stats, auth: .bearer(ws.key)).json["count"] as? Int == 0)
            #expect(!(try await client.call(.get, "/metrics").text.contains("vigil_read_cache_requests_total")))
        }
    }

    @Test func anUnknownMetricIsNeverKept() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let path = "/v1/workspaces/\(ws.slug)/metrics/api.latency/stats"
            try await client.call(.get, path, auth: .bearer(ws.key)).expectErrorEnvelope(.notFound, "not_found")
            try await Self.ingest([3], into: ws, client: client)
            #expect(try await client.call(.get, path, auth: .bearer(ws.key)).json["count"] as? Int == 1)
        }
    }

    /// A metric answer's key carries the minute its window ends with; the alerts list's does not.
    @Test(arguments: [
        ("/v1/workspaces/{workspace}/metrics/{name}/stats", 0.0, 59.9, true),
        ("/v1/workspaces/:workspace/metrics/:name/series", 59.9, 60.0, false),
        ("/v1/workspaces/{workspace}/metrics/{name}/stats", 120.0, 3_600.0, false),
        ("/v1/workspaces/{workspace}/alerts", 0.0, 3_600.0, true),
    ])
    func aMetricAnswerIsKeptForItsMinuteOnly(template: String, first: Double, second: Double, sameKey: Bool) throws {
        let route = try #require(CachedReads.route(of: template))
        let at = { (seconds: Double) in CachedReads.selection(path: "/p", query: "window=60", route: route, now: Date(timeIntervalSince1970: 1_800_000_000 + seconds)) }
        #expect((at(first) == at(second)) == sameKey)
        #expect(CachedReads.route(of: "/v1/workspaces/{workspace}/metrics") == nil)
    }
}
