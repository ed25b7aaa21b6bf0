import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilServices

extension ServiceSettings {
    func with(limits: WorkspaceLimits) -> ServiceSettings {
        var copy = self
        copy.limits = limits
        return copy
    }
}

/// The per-workspace limits through the API: the refusal's status and envelope, nothing stored,
/// and another workspace unaffected.
@Suite(.serialized) struct WorkspaceLimitsTests {
    static let silence = #"{"matchers":[{"name":"env","op":"=","value":"dev"}],"ends_at":"2099-01-01T00:00:00Z","comment":"c"}"#
    static let inhibitRule = #"{"source_matchers":[{"name":"a","op":"=","value":"b"}],"target_matchers":[{"name":"c","op":"=","value":"d"}]}"#
    static let slo = #"{"name":"avail","kind":"availability","good_metric":"ok","total_metric":"all","objective_percent":99,"window":"rolling_7d"}"#
    /// Names must be unique for these kinds: `{n}` is replaced by the object's number.
    static let alertRule = #"{"name":"rule {n}","metric":"m","statistic":"count","comparison":">","threshold":1}"#
    static let anomalyDetector = #"{"name":"detector {n}","metric":"m","statistic":"mean"}"#

    func count(_ client: some TestClientProtocol, _ ws: TestWorkspace, _ path: String) async throws -> Int {
        let reply = try await client.call(.get, "/v1/workspaces/\(ws.slug)/\(path)", auth: .bearer(ws.key))
        #expect(reply.status == .ok, "\(reply.text)")
        return ((reply.json["items"] ?? reply.json["slos"]) as? [Any])?.count ?? -1
    }

    @Test(arguments: [("silences", silence), ("inhibit-rules", inhibitRule), ("slos", slo), ("alert-rules", alertRule),
                      ("anomaly-detectors", anomalyDetector)])
    func configObjectCapAnswers409AndStoresNothing(path: String, body: String) async throws {
        try await TestAPI.run(limits: WorkspaceLimits(maxConfigObjectsPerKind: 2)) { _, client in
            let ws = try await client.createWorkspace(), other = try await client.createWorkspace()
            func numbered(_ n: Int) -> String { body.replacingOccurrences(of: "{n}", with: String(n)) }
            for n in 0..<2 { _ = try await client.postJSON("/v1/workspaces/\(ws.slug)/\(path)", key: ws.key, numbered(n)) }
            let refused = try await client.call(.post, "/v1/workspaces/\(ws.slug)/\(path)", auth: .bearer(ws.key), json: numbered(2))
            refused.expectErrorEnvelope(.conflict, "conflict")
            #expect(((refused.json["error"] as? [String: Any])?["message"] as? String ?? "").contains("at most 2"))
            #expect(try await count(client, ws, path) == 2)
            _ = try await client.postJSON("/v1/workspaces/\(other.slug)/\(path)", key: other.key, body)
        }
    }

    @Test func channelAndKPICaps() async throws {
        try await TestAPI.run(limits: WorkspaceLimits(maxConfigObjectsPerKind: 1)) { _, client in
            let ws = try await client.createWorkspace(), other = try await client.createWorkspace()
            _ = try await client.webhookChannel(ws.slug, key: ws.key, url: "http://127.0.0.1:9/hook")
            let channel = try await client.call(.post, "/v1/workspaces/\(ws.slug)/channels", auth: .bearer(ws.key), json: """
                {"name":"second","kind":"webhook","url":"http://127.0.0.1:9/hook","secrets":{"signing_secret":"0123456789abcdef-secret"}}
                """)
            channel.expectErrorEnvelope(.conflict, "conflict")
            #expect(try await count(client, ws, "channels") == 1)
            _ = try await client.webhookChannel(other.slug, key: other.key, url: "http://127.0.0.1:9/hook")

            let kpi = #"{"name":"Sign-ups","unit":"users","aggregation":"sum","target":10,"direction":"higher_is_better"}"#
            let first = try await client.call(.put, "/v1/workspaces/\(ws.slug)/kpis/signups", auth: .bearer(ws.key), json: kpi)
            #expect(first.status == .created, "\(first.text)")
            let again = try await client.call(.put, "/v1/workspaces/\(ws.slug)/kpis/signups", auth: .bearer(ws.key), json: kpi)
            #expect(again.status == .ok, "redefining an existing KPI is not a new object: \(again.text)")
            let second = try await client.call(.put, "/v1/workspaces/\(ws.slug)/kpis/logins", auth: .bearer(ws.key), json: kpi)
            second.expectErrorEnvelope(.conflict, "conflict")
            let missing = try await client.call(.get, "/v1/workspaces/\(ws.slug)/kpis/logins", auth: .bearer(ws.key))
            #expect(missing.status == .notFound)
            let elsewhere = try await client.call(.put, "/v1/workspaces/\(other.slug)/kpis/logins", auth: .bearer(other.key), json: kpi)
            #expect(elsewhere.status == .created)
        }
    }

    @Test func concurrentCreatesCannotOvershoot() async throws {
        try await TestAPI.run(limits: WorkspaceLimits(maxConfigObjectsPerKind: 3)) { _, client in
            let ws = try await client.createWorkspace()
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        try await client.call(.post, "/v1/workspaces/\(ws.slug)/silences", auth: .bearer(ws.key), json: Self.silence).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 3)
            #expect(statuses.filter { $0 == .conflict }.count == 9)
            #expect(try await count(client, ws, "silences") == 3)
        }
    }

    @Test func reportGenerationsAreCappedWith429() async throws {
        try await TestAPI.run(limits: WorkspaceLimits(maxConcurrentReports: 1)) { api, client in
            let ws = try await client.createWorkspace(), other = try await client.createWorkspace()
            let body = #"{"kind":"retention"}"#
            let first = try await client.call(.post, "/v1/workspaces/\(ws.slug)/compliance/reports", auth: .bearer(ws.key), json: body)
            #expect(first.status == .accepted, "\(first.text)")
            let second = try await client.call(.post, "/v1/workspaces/\(ws.slug)/compliance/reports", auth: .bearer(ws.key), json: body)
            second.expectErrorEnvelope(.tooManyRequests, "rate_limited")
            #expect(second.headers[HTTPField.Name("Retry-After")!] == "30")
            #expect(try await count(client, ws, "compliance/reports") == 1)
            let elsewhere = try await client.call(.post, "/v1/workspaces/\(other.slug)/compliance/reports", auth: .bearer(other.key), json: body)
            #expect(elsewhere.status == .accepted)
            // Once the report has run, the workspace may ask again.
            try await AlertJobDrain(api).drain()
            let later = try await client.call(.post, "/v1/workspaces/\(ws.slug)/compliance/reports", auth: .bearer(ws.key), json: body)
            #expect(later.status == .accepted, "\(later.text)")
        }
    }

    func points(_ hosts: [String], name: String = "cpu") -> [[String: Any]] {
        hosts.map { ["name": name, "kind": "gauge", "value": 1.0, "tags": ["host": $0],
                     "timestamp": Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))] }
    }

    func storedSeries(_ api: TestAPI, _ ws: TestWorkspace) async throws -> Double? {
        try await api.ownerDouble("SELECT count(*)::double precision AS v FROM metric_series WHERE workspace_id = \(UUID(uuidString: ws.id)!)")
    }

    @Test func newSeriesPastTheCapRejectTheWholeBatch() async throws {
        try await TestAPI.run(limits: WorkspaceLimits(maxActiveSeries: 3)) { api, client in
            let ws = try await client.createWorkspace(), other = try await client.createWorkspace()
            let uri = "/v1/workspaces/\(ws.slug)/metrics"
            let fill = try await client.call(.post, uri, auth: .bearer(ws.key), json: try metricBody(points(["a", "b", "c"])))
            #expect(fill.status == .ok, "\(fill.text)")
            let pointsBefore = try await api.ownerDouble("SELECT count(*)::double precision AS v FROM metric_points WHERE workspace_id = \(UUID(uuidString: ws.id)!)")
            let over = try await client.call(.post, uri, auth: .bearer(ws.key), json: try metricBody(points(["a", "d"])))
            over.expectErrorEnvelope(.conflict, "conflict")
            #expect(try await storedSeries(api, ws) == 3)
            let pointsAfter = try await api.ownerDouble("SELECT count(*)::double precision AS v FROM metric_points WHERE workspace_id = \(UUID(uuidString: ws.id)!)")
            #expect(pointsAfter == pointsBefore, "the known series' point of the refused batch is not stored either")
            let known = try await client.call(.post, uri, auth: .bearer(ws.key), json: try metricBody(points(["a", "b"])))
            #expect(known.status == .ok, "points for existing series still flow at the cap: \(known.text)")
            let elsewhere = try await client.call(.post, "/v1/workspaces/\(other.slug)/metrics", auth: .bearer(other.key),
                                                  json: try metricBody(points(["a", "b", "c"])))
            #expect(elsewhere.status == .ok)
        }
    }

    @Test func groupedQueriesPastTheCostAreRefused() async throws {
        try await TestAPI.run(limits: WorkspaceLimits(maxQueryCost: 120)) { _, client in
            let ws = try await client.createWorkspace()
            let ingest = try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key),
                                               json: try metricBody(points(["a", "b", "c"])))
            #expect(ingest.status == .ok)
            for op in ["stats", "series"] {
                let big = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/cpu/\(op)?window=60&group_by=host", auth: .bearer(ws.key))
                big.expectErrorEnvelope(.unprocessableContent, "query_too_large")
                let small = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/cpu/\(op)?window=30&group_by=host", auth: .bearer(ws.key))
                #expect(small.status == .ok, "\(small.text)")
                let ungrouped = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/cpu/\(op)?window=100", auth: .bearer(ws.key))
                #expect(ungrouped.status == .ok, "\(ungrouped.text)")
            }
        }
    }
}
