import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilServices

/// KPIs (rollups equal a direct computation, late events, time-zone days), SLOs (compliance and
/// budget on a hand-computed series; the burn-rate alert fires once), auth and tenancy.
struct KPIAndSLOTests {
    static func iso(_ date: Date) -> String { date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)) }

    @Test func kpiRollupsEqualADirectComputationIncludingLateEventsAndLocalDays() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let tz = try await client.call(.patch, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key), json: #"{"settings":{"time_zone":"Europe/Berlin"}}"#)
            #expect(tz.status == .ok)
            let put = try await client.call(.put, "/v1/workspaces/\(ws.slug)/kpis/signups", auth: .bearer(ws.key),
                                            json: #"{"name":"Sign-ups","unit":"users","aggregation":"sum","target":10,"direction":"higher_is_better"}"#)
            #expect(put.status == .created, "\(put.text)")
            let berlin = TimeZone(identifier: "Europe/Berlin")!
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = berlin
            let today = calendar.startOfDay(for: Date())
            // Deterministic events over the last 5 local days, two countries, including 23:30 and 00:30 local.
            var events: [(at: Date, value: Double, country: String)] = []
            for day in 1...5 {
                let start = calendar.date(byAdding: .day, value: -day, to: today)!
                for i in 0..<(day + 2) {
                    events.append((start.addingTimeInterval(Double(i) * 3_600 + 600), Double(i + day), i.isMultiple(of: 2) ? "de" : "fr"))
                }
                events.append((start.addingTimeInterval(23.5 * 3_600), 100, "de"))      // 23:30 local: still this day
                events.append((start.addingTimeInterval(0.5 * 3_600), 1_000, "fr"))     // 00:30 local: this day, not the previous
            }
            func post(_ batch: [(at: Date, value: Double, country: String)]) async throws {
                let json = batch.map { #"{"value":\#($0.value),"timestamp":"\#(Self.iso($0.at))","dimensions":{"country":"\#($0.country)"}}"# }
                let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/kpis/signups/events", auth: .bearer(ws.key),
                                                  json: #"{"events":[\#(json.joined(separator: ","))]}"#)
                #expect(reply.status == .accepted, "\(reply.text)")
            }
            try await post(events)
            let workspace = try #require(try await api.services.workspaces.find(reference: ws.slug))
            try await api.services.kpis.rollup(.day, in: workspace)
            try await api.services.kpis.rollup(.month, in: workspace)

            func expected() -> [String: Double] {
                var sums: [String: Double] = [:]
                let formatter = DateFormatter()
                formatter.timeZone = berlin
                formatter.dateFormat = "yyyy-MM-dd"
                for event in events { sums[formatter.string(from: event.at), default: 0] += event.value }
                return sums
            }
            func series() async throws -> [String: Double] {
                let from = calendar.date(byAdding: .day, value: -6, to: today)!
                let f = DateFormatter(); f.timeZone = berlin; f.dateFormat = "yyyy-MM-dd"
                let reply = try await client.call(.get, "/v1/workspaces/\(ws.slug)/kpis/signups?period=day&from=\(f.string(from: from))&to=\(f.string(from: today))&group_by=country",
                                                  auth: .bearer(ws.key))
                #expect(reply.status == .ok, "\(reply.text)")
                var values: [String: Double] = [:]
                for point in reply.json["points"] as? [[String: Any]] ?? [] {
                    if let value = point["value"] as? Double, value != 0 { values[point["label"] as? String ?? ""] = value }
                }
                return values
            }
            #expect(try await series() == expected())
            // Past days are served from rollups: one row per day and country, none dirty.
            let owner = try await api.db.ownerConnection()
            #expect(try await owner.query("SELECT count(*)::int AS n FROM kpi_dirty_periods WHERE kind = 'day' AND period_end <= now()").first!
                .decode("n", as: Int.self) == 0)
            #expect(try await owner.query("SELECT count(*)::int AS n FROM kpi_rollups WHERE kind = 'day'").first!.decode("n", as: Int.self) == 10)

            // A late event re-opens its day: right at once (from events), and again after the rollup.
            let late = (calendar.date(byAdding: .day, value: -3, to: today)!.addingTimeInterval(12 * 3_600), 7.0, "it")
            events.append(late)
            try await post([late])
            #expect(try await owner.query("SELECT count(*)::int AS n FROM kpi_dirty_periods WHERE kind = 'day'").first!.decode("n", as: Int.self) >= 1)
            #expect(try await series() == expected())
            try await api.services.kpis.rollup(.day, in: workspace)
            try await api.services.kpis.rollup(.month, in: workspace)
            #expect(try await series() == expected())
            #expect(try await owner.query("SELECT count(*)::int AS n FROM kpi_dirty_periods WHERE period_end <= now()").first!.decode("n", as: Int.self) == 0)
            await owner.close()

            // The breakdown and the overview.
            let grouped = try await client.call(.get, "/v1/workspaces/\(ws.slug)/kpis/signups?period=month&group_by=country", auth: .bearer(ws.key))
            let breakdown = try #require(grouped.json["breakdown"] as? [[String: Any]])
            let total = breakdown.compactMap { $0["value"] as? Double }.reduce(0, +)
            #expect(total == events.map(\.value).reduce(0, +))
            #expect(Set(breakdown.compactMap { $0["dimension_value"] as? String }) == ["de", "fr", "it"])
            let overview = try await client.call(.get, "/v1/workspaces/\(ws.slug)/kpis", auth: .bearer(ws.key))
            let item = try #require((overview.json["items"] as? [[String: Any]])?.first)
            #expect(item["key"] as? String == "signups")
            #expect(item["previous_value"] as? Double == expected()[{ let f = DateFormatter(); f.timeZone = berlin; f.dateFormat = "yyyy-MM-dd"
                return f.string(from: calendar.date(byAdding: .day, value: -1, to: today)!) }()])
            #expect(item["value"] as? Double == 0, "no sign-ups today yet")
            #expect(item["status"] as? String == "off_target", "0 against a target of 10")
            let business = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/business", auth: .bearer(ws.key))
            #expect(business.status == .ok && business.text.contains("signups"))
        }
    }

    @Test func ratioKPIsAndBadInput() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let put = try await client.call(.put, "/v1/workspaces/\(ws.slug)/kpis/conversion", auth: .bearer(ws.key), json: """
                {"name":"Conversion","unit":"%","aggregation":"ratio","numerator_stream":"orders","denominator_stream":"visits","target":5,
                 "direction":"higher_is_better"}
                """)
            #expect(put.status == .created, "\(put.text)")
            let events = Array(repeating: #"{"stream":"visits"}"#, count: 40) + Array(repeating: #"{"stream":"orders"}"#, count: 3)
            let posted = try await client.call(.post, "/v1/workspaces/\(ws.slug)/kpis/conversion/events", auth: .bearer(ws.key),
                                               json: #"{"events":[\#(events.joined(separator: ","))]}"#)
            #expect(posted.status == .accepted, "\(posted.text)")
            let list = try await client.call(.get, "/v1/workspaces/\(ws.slug)/kpis", auth: .bearer(ws.key))
            let item = try #require((list.json["items"] as? [[String: Any]])?.first)
            #expect(abs((item["value"] as? Double ?? 0) - 7.5) < 1e-9, "3/40 as a percentage: \(item)")
            #expect(item["status"] as? String == "on_target")
            for (path, body) in [("kpis/conversion/events", #"{"events":[{"stream":"nonsense"}]}"#),
                                 ("kpis/conversion/events", #"{"events":[]}"#),
                                 ("kpis/conversion/events", #"{"events":[{"stream":"visits","timestamp":"2001-01-01T00:00:00Z"}]}"#)] {
                try await client.call(.post, "/v1/workspaces/\(ws.slug)/\(path)", auth: .bearer(ws.key), json: body).expectErrorEnvelope(.badRequest, "invalid_request")
            }
            try await client.call(.put, "/v1/workspaces/\(ws.slug)/kpis/bad", auth: .bearer(ws.key), json: #"{"name":"x","aggregation":"ratio","numerator_stream":"a","denominator_stream":"a","direction":"higher_is_better"}"#)
                .expectErrorEnvelope(.badRequest, "invalid_request")
            try await client.call(.post, "/v1/workspaces/\(ws.slug)/kpis/missing/events", auth: .bearer(ws.key), json: #"{"events":[{"value":1}]}"#)
                .expectErrorEnvelope(.notFound, "not_found")
            // Tenancy and roles.
            let other = try await client.createWorkspace()
            try await client.call(.get, "/v1/workspaces/\(other.slug)/kpis/conversion", auth: .bearer(other.key)).expectErrorEnvelope(.notFound, "not_found")
            let viewer = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer")
            try await client.call(.put, "/v1/workspaces/\(ws.slug)/kpis/x", auth: .bearer(viewer.key),
                                  json: #"{"name":"x","aggregation":"sum","direction":"higher_is_better"}"#).expectErrorEnvelope(.forbidden, "forbidden")
            _ = api
        }
    }

    func ingest(_ client: some TestClientProtocol, _ ws: (id: String, slug: String, key: String), _ points: [String]) async throws {
        for chunk in stride(from: 0, to: points.count, by: 1000) {
            let body = #"{"points":[\#(points[chunk..<min(points.count, chunk + 1000)].joined(separator: ","))]}"#
            let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: body)
            #expect(reply.status == .ok, "\(reply.text.prefix(300))")
        }
    }

    @Test func sloComplianceAndBudgetOnAHandComputedSeriesAndTheBurnAlertFiresOnce() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let now = Date()
            // Latency: 200 requests to /api/users in the last hour, 190 at or under 500 ms.
            let latency = (0..<200).map { i in
                #"{"name":"http.request.duration","kind":"timing","value":\#(i < 190 ? 120 + i : 900),"timestamp":"\#(Self.iso(now.addingTimeInterval(-Double(i) * 10)))","tags":{"endpoint":"/api/users"}}"#
            }
            // Noise that the filter must exclude.
            let other = (0..<20).map { i in
                #"{"name":"http.request.duration","kind":"timing","value":5000,"timestamp":"\#(Self.iso(now.addingTimeInterval(-Double(i) * 10)))","tags":{"endpoint":"/api/other"}}"#
            }
            try await ingest(client, ws, latency + other)
            let slo = try await client.postJSON("/v1/workspaces/\(ws.slug)/slos", key: ws.key, """
                {"name":"users p90 under 500 ms","kind":"latency","metric":"http.request.duration","percentile":90,"threshold_ms":500,
                 "tags":{"endpoint":"/api/users"},"objective_percent":90,"window":"rolling_7d"}
                """)
            let workspace = try #require(try await api.services.workspaces.find(reference: ws.slug))
            try await api.services.slos.evaluateAll(in: workspace)
            let shown = try await client.call(.get, "/v1/workspaces/\(ws.slug)/slos/\(slo.id)", auth: .bearer(ws.key))
            let latest = try #require(shown.json["latest"] as? [String: Any], "\(shown.text)")
            #expect(latest["good"] as? Double == 190)
            #expect(latest["total"] as? Double == 200)
            #expect(abs((latest["compliance"] as? Double ?? 0) - 0.95) < 1e-12)
            // Budget: 10% allowed bad, 5% used → half left; burn 0.5 everywhere.
            #expect(abs((latest["budget_remaining"] as? Double ?? 0) - 0.5) < 1e-9)
            #expect(abs((latest["burn_1h"] as? Double ?? 0) - 0.5) < 1e-9)
            #expect(latest["decision"] as? String == "none")
            #expect(latest["status"] as? String == "healthy")

            // The monthly SLA report, as a compliance-style CSV download.
            let sla = try await client.call(.post, "/v1/workspaces/\(ws.slug)/compliance/reports", auth: .bearer(ws.key),
                                            json: #"{"kind":"sla","format":"csv"}"#)
            #expect(sla.status == .accepted, "\(sla.text)")
            try await AlertJobDrain(api).drain()
            let csv = try await client.call(.get, "/v1/workspaces/\(ws.slug)/compliance/reports/\(sla.json["id"] as? String ?? "")/download",
                                            auth: .bearer(ws.key))
            #expect(csv.status == .ok, "\(csv.text)")
            #expect(csv.headers[.contentType] == "application/octet-stream")
            #expect(csv.headers[.contentDisposition]?.contains(".csv\"") == true, "\(csv.headers)")
            let line = try #require(csv.text.components(separatedBy: "\r\n").first { $0.contains("users p90") }, "\(csv.text)")
            let cells = line.components(separatedBy: ",")
            #expect(cells.count == 9, "\(line)")
            #expect(abs((Double(cells[4]) ?? 0) - 95) < 1e-9 && abs((Double(cells[5]) ?? 0) - 50) < 1e-9, "\(line)")
            #expect(Array(cells.suffix(3)) == ["healthy", "190.0", "200.0"], "\(line)")

            // Availability from two counters: 1000 requests, 900 good, objective 99.9% → burn 100: page, once.
            let counters = [#"{"name":"requests.total","kind":"counter","value":1000,"timestamp":"\#(Self.iso(now.addingTimeInterval(-60)))"}"#,
                            #"{"name":"requests.ok","kind":"counter","value":900,"timestamp":"\#(Self.iso(now.addingTimeInterval(-60)))"}"#]
            try await ingest(client, ws, counters)
            let availability = try await client.postJSON("/v1/workspaces/\(ws.slug)/slos", key: ws.key, """
                {"name":"api availability","kind":"availability","good_metric":"requests.ok","total_metric":"requests.total",
                 "objective_percent":99.9,"window":"rolling_30d"}
                """)
            for _ in 0..<3 { try await api.services.slos.evaluateAll(in: workspace) }
            let alerts = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?source=slo", auth: .bearer(ws.key))
            let raised = try #require(alerts.json["items"] as? [[String: Any]])
            #expect(raised.count == 1, "\(alerts.text)")
            #expect(raised.first?["severity"] as? String == "critical")
            #expect(raised.first?["occurrence_count"] as? Int == 1, "later evaluations do not re-raise it")
            #expect((raised.first?["labels"] as? [String: String])?["slo_id"] == availability.id)
            let report = try await client.call(.get, "/v1/workspaces/\(ws.slug)/slos/\(availability.id)/report?period=day", auth: .bearer(ws.key))
            #expect((report.json["evaluations"] as? [[String: Any]])?.count ?? 0 >= 1)
            #expect((report.json["evaluations"] as? [[String: Any]])?.first?["decision"] as? String == "page")
            let performance = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/performance", auth: .bearer(ws.key))
            let slowest = try #require(performance.json["slowest_endpoints"] as? [[String: Any]])
            #expect(slowest.first?["endpoint"] as? String == "/api/other")
            let security = try await client.call(.get, "/v1/workspaces/\(ws.slug)/metrics/security", auth: .bearer(ws.key))
            #expect(security.json["open_critical_alerts"] as? Int == 1)
            // Bad definitions.
            for body in [#"{"name":"x","kind":"latency","objective_percent":99,"window":"rolling_7d"}"#,
                         #"{"name":"x","kind":"availability","good_metric":"a","total_metric":"b","objective_percent":100,"window":"rolling_7d"}"#] {
                try await client.call(.post, "/v1/workspaces/\(ws.slug)/slos", auth: .bearer(ws.key), json: body).expectErrorEnvelope(.badRequest, "invalid_request")
            }
            let stranger = try await client.createWorkspace()
            try await client.call(.get, "/v1/workspaces/\(stranger.slug)/slos/\(slo.id)", auth: .bearer(stranger.key)).expectErrorEnvelope(.notFound, "not_found")
        }
    }
}
