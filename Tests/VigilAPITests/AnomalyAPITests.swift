import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilServices

/// Anomaly detection end to end: history ingested → the scan computes 15-minute buckets from
/// the rollups → a spike in the newest complete bucket is stored as an anomaly and raised as an
/// alert; and the API around it (roles, validation, tenancy, filters, the fan-out).
struct AnomalyAPITests {
    static let detector = #"""
        {"name":"Queue depth","metric":"queue.depth","statistic":"mean","detectors":["zscore"],"baseline":"trailing",
         "sensitivity":"medium","alert_severity":"high"}
        """#

    /// One gauge point in each of the `buckets` 15-minute buckets before the current one, oldest
    /// first; `values` gives them (the last is the newest complete bucket).
    static func ingestHistory(_ client: some TestClientProtocol, _ ws: (id: String, slug: String, key: String), now: Date, values: [Double]) async throws {
        let current = AnomalyScanPlan.bucketStart(now)
        let iso = ISO8601DateFormatter()
        let points: [[String: Any]] = values.enumerated().map { index, value in
            let bucket = current.addingTimeInterval(-Double(values.count - index) * 900)
            return ["name": "queue.depth", "kind": "gauge", "value": value, "timestamp": iso.string(from: bucket.addingTimeInterval(60)),
                    "tags": ["queue": "emails"]]
        }
        let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: try metricBody(points))
        #expect(reply.status == .ok, "\(reply.text)")
    }

    @Test func aSpikeInTheNewestBucketIsFoundStoredAndRaised() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let created = try await client.call(.post, "/v1/workspaces/\(ws.slug)/anomaly-detectors", auth: .bearer(ws.key), json: Self.detector)
            #expect(created.status == .created, "\(created.text)")
            let detectorID = try #require(created.json["id"] as? String)
            // Five hours of a steady queue, then a spike in the newest complete bucket.
            let normal = (0..<20).map { 100.0 + Double($0 % 3) }
            try await Self.ingestHistory(client, ws, now: api.clock.now, values: normal + [1_000])
            let workspace = try await api.services.workspaces.find(reference: ws.slug)

            let report = try await api.services.anomalyScanner.scan(in: workspace)
            #expect(report == .init(detectors: 1, anomalies: 1, alerted: 1, failed: 0))
            #expect(try await api.services.anomalyScanner.scan(in: workspace).anomalies == 0, "a bucket is judged once")

            let list = try await client.call(.get, "/v1/workspaces/\(ws.slug)/anomalies?detector_id=\(detectorID)", auth: .bearer(ws.key))
            let items = try #require(list.json["items"] as? [[String: Any]])
            #expect(items.count == 1, "\(list.text)")
            let anomaly = try #require(items.first)
            #expect(anomaly["detector"] as? String == "zscore" && anomaly["direction"] as? String == "above")
            #expect(anomaly["severity"] as? String == "critical" && anomaly["value"] as? Double == 1_000)
            #expect((anomaly["bucket"] as? String).flatMap(RFC3339.parse) == AnomalyScanPlan.bucketStart(api.clock.now).addingTimeInterval(-900))
            let alertID = try #require(anomaly["alert_id"] as? String)
            let stranger = try await client.createWorkspace()
            try await client.call(.get, "/v1/workspaces/\(stranger.slug)/anomalies/\(anomaly["id"] as! String)", auth: .bearer(stranger.key))
                .expectErrorEnvelope(.notFound, "not_found")
            #expect((try await client.call(.get, "/v1/workspaces/\(stranger.slug)/anomalies", auth: .bearer(stranger.key))
                .json["items"] as? [[String: Any]])?.isEmpty == true, "another workspace lists none of them")
            let shown = try await client.call(.get, "/v1/workspaces/\(ws.slug)/anomalies/\(anomaly["id"] as! String)", auth: .bearer(ws.key))
            #expect(shown.json["alert_id"] as? String == alertID)
            let alert = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts/\(alertID)", auth: .bearer(ws.key))
            let alertBody = (alert.json["alert"] as? [String: Any]) ?? [:]
            #expect(alertBody["source"] as? String == "anomaly-detector" && alertBody["severity"] as? String == "critical", "\(alert.text)")
            #expect((alertBody["labels"] as? [String: String])?["detector"] == "Queue depth")

            let quiet = try await client.call(.get, "/v1/workspaces/\(ws.slug)/anomalies?min_severity=critical&since=2999-01-01T00:00:00Z", auth: .bearer(ws.key))
            #expect((quiet.json["items"] as? [[String: Any]])?.isEmpty == true)
            let detector = try await client.call(.get, "/v1/workspaces/\(ws.slug)/anomaly-detectors/\(detectorID)", auth: .bearer(ws.key))
            #expect(detector.json["last_scanned_at"] is String)
            #expect(detector.json["last_error"] == nil || detector.json["last_error"] is NSNull, "\(detector.text)")
        }
    }

    @Test func rolesValidationAndTenancyHold() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace(), other = try await client.createWorkspace()
            let viewer = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer").key
            let path = "/v1/workspaces/\(ws.slug)/anomaly-detectors"
            try await client.call(.post, path, auth: .bearer(viewer), json: Self.detector).expectErrorEnvelope(.forbidden, "forbidden")
            let id = try #require(try await client.call(.post, path, auth: .bearer(ws.key), json: Self.detector).json["id"] as? String)
            try await client.call(.post, path, auth: .bearer(ws.key), json: Self.detector).expectErrorEnvelope(.conflict, "conflict")
            #expect((try await client.call(.get, path, auth: .bearer(viewer)).json["items"] as? [[String: Any]])?.count == 1)
            for bad in [#"{"name":"x","metric":"m","statistic":"mean","detectors":[]}"#,
                        #"{"name":"x","metric":"m","statistic":"mean","detectors":["zscore","zscore"]}"#,
                        #"{"name":"x","metric":"bad name","statistic":"mean"}"#,
                        #"{"name":"x","metric":"m","statistic":"mean","baseline":"weekly"}"#] {
                let reply = try await client.call(.post, path, auth: .bearer(ws.key), json: bad)
                #expect(reply.status == .badRequest, "\(bad) → \(reply.text)")
            }
            for method in [HTTPRequest.Method.get, .delete] {
                try await client.call(method, "/v1/workspaces/\(other.slug)/anomaly-detectors/\(id)", auth: .bearer(other.key))
                    .expectErrorEnvelope(.notFound, "not_found")
            }
            let updated = try await client.call(.put, "\(path)/\(id)", auth: .bearer(ws.key),
                                                json: Self.detector.replacingOccurrences(of: #""medium""#, with: #""low""#))
            #expect((updated.json["definition"] as? [String: Any])?["sensitivity"] as? String == "low", "\(updated.text)")
            #expect(try await client.call(.delete, "\(path)/\(id)", auth: .bearer(ws.key)).status == .noContent)
        }
    }

    @Test func theFanOutEnqueuesOneScanPerWorkspaceWithDetectors() async throws {
        try await TestAPI.run { api, client in
            let with = try await client.createWorkspace()
            _ = try await client.createWorkspace()
            #expect(try await client.call(.post, "/v1/workspaces/\(with.slug)/anomaly-detectors", auth: .bearer(with.key), json: Self.detector).status == .created)
            #expect(try await api.workerServices.anomalyScanner.dispatch() == 1)
            #expect(try await api.workerServices.anomalyScanner.dispatch() == 0)
        }
    }

    /// A detector cannot make a scan read without bound: past the workspace's `max_query_cost`
    /// (here 100 series × minutes, against the 8-day backfill) it records the refusal, and the
    /// workspace's other detectors are still scanned.
    @Test func aDetectorPastTheQueryCostFailsAloneWithItsErrorRecorded() async throws {
        try await TestAPI.run(limits: WorkspaceLimits(maxQueryCost: 100)) { api, client in
            let ws = try await client.createWorkspace()
            try await Self.ingestHistory(client, ws, now: api.clock.now, values: [1, 2, 3])
            let costly = try #require(try await client.call(.post, "/v1/workspaces/\(ws.slug)/anomaly-detectors", auth: .bearer(ws.key),
                                                            json: Self.detector).json["id"] as? String)
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/anomaly-detectors", auth: .bearer(ws.key),
                                          json: #"{"name":"Nothing yet","metric":"not.ingested","statistic":"count"}"#).status == .created)
            let report = try await api.services.anomalyScanner.scan(in: try await api.services.workspaces.find(reference: ws.slug))
            #expect(report == .init(detectors: 2, anomalies: 0, alerted: 0, failed: 1))
            let detector = try await client.call(.get, "/v1/workspaces/\(ws.slug)/anomaly-detectors/\(costly)", auth: .bearer(ws.key))
            #expect((detector.json["last_error"] as? String)?.contains("query too large") == true, "\(detector.text)")
        }
    }
}
