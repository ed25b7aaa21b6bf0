import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
import VigilCore
import VigilServices

/// GDPR subject export and erasure reach every store that can hold what a tenant sent: KPI
/// events and rollups (by their dimensions), job arguments and errors, alert-rule, route and
/// silence specs, a client's dedup key, and stored idempotent answers — with the
/// certificate's per-table counts, other people's rows kept, and every rewritten document
/// still valid and otherwise unchanged (its numbers, its timestamps).
struct SubjectErasureCoverageTests {
    static let email = "alice@example.com"

    @Test func exportAndErasureCoverKPIsJobsConfigurationDedupKeysAndStoredAnswers() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let base = "/v1/workspaces/\(ws.slug)"
            // Stored as sent, so there is personal data to find.
            #expect(try await client.call(.patch, base, auth: .bearer(ws.key), json: #"{"settings":{"redaction":{"enabled":false}}}"#).status == .ok)
            try await storeKPIEvents(api, client, ws)
            let ruleID = try await storeConfiguration(client, ws)
            let alert = try await client.call(.post, "\(base)/alerts", auth: .bearer(ws.key), json: """
                {"title":"Refund for \(Self.email)","severity":"low","source":"billing","dedup_key":"refund:\(Self.email)"}
                """, headers: [HTTPField.Name("Idempotency-Key")!: "retry-1"])
            #expect(alert.status == .created, "\(alert.text)")
            let (finishedJob, pendingJob) = try await storeJobs(api, ws)
            // Another workspace names the same person: an erasure in the first never reaches it.
            let other = try await client.createWorkspace()
            #expect(try await client.call(.patch, "/v1/workspaces/\(other.slug)", auth: .bearer(other.key),
                                          json: #"{"settings":{"redaction":{"enabled":false}}}"#).status == .ok)
            let otherRule = try await storeConfiguration(client, other)
            let (otherJob, _) = try await storeJobs(api, other)

            let reports = ComplianceReportTests()
            let subject = #"{"email":"\#(Self.email)"}"#
            let exportID = try await reports.requestReport(client, ws, #"{"kind":"subject_export","format":"json","subject":\#(subject)}"#)
            _ = try await reports.finished(api, client, ws, exportID)
            let sections = try reports.sections(try await reports.download(client, ws, exportID).text)
            func matched(_ table: String) -> Int? { sections[table]?["matched"] as? Int }
            #expect(matched("kpi_events") == 2, "alice's two events, not bob's: \(String(describing: sections["kpi_events"]))")
            #expect(matched("kpi_rollups") == 1)
            #expect(matched("jobs") == 2)
            #expect(matched("alert_rules") == 1 && matched("silences") == 1 && matched("notification_routes") == 1)
            #expect(matched("alerts") == 1)

            let erasureID = try await reports.requestReport(client, ws, #"{"kind":"subject_erasure","format":"json","subject":\#(subject)}"#)
            _ = try await reports.finished(api, client, ws, erasureID)
            let certificate = try ErasureCertificate.parse(Array(try await reports.download(client, ws, erasureID, query: "?file=erasure-certificate.json").text.utf8))
            func row(_ table: String) throws -> ErasureCertificate.TableOutcome {
                try #require(certificate.tables.first { $0.table == table }, "no \(table) row")
            }
            #expect(try row("kpi_events").found == 2 && row("kpi_events").deleted == 2 && row("kpi_events").remaining == 0)
            #expect(try row("kpi_rollups").deleted == 1 && row("kpi_rollups").remaining == 0)
            #expect(try row("jobs").found == 2 && row("jobs").pseudonymised == 1 && row("jobs").remaining == 1,
                    "the finished job is rewritten; the pending one keeps its arguments until it has run")
            for table in ["alert_rules", "silences", "notification_routes", "alerts"] {
                #expect(try row(table).pseudonymised == 1 && row(table).remaining == 0, "\(table)")
            }
            #expect(try row("idempotency_keys").deleted == 1 && row("idempotency_keys").remaining == 0)

            // What is left: bob's events, documents that still parse and work, the numbers intact.
            let kpi = try await client.call(.get, "\(base)/kpis/orders?period=day&group_by=customer", auth: .bearer(ws.key))
            #expect(kpi.text.contains("bob@example.com") && !kpi.text.contains(Self.email), "\(kpi.text)")
            let rule = try await client.call(.get, "\(base)/alert-rules/\(ruleID)", auth: .bearer(ws.key))
            #expect(rule.status == .ok, "the rewritten rule still decodes: \(rule.text)")
            let definition = try #require(rule.json["definition"] as? [String: Any], "\(rule.text)")
            #expect(definition["threshold"] as? Double == 42 && definition["window_minutes"] as? Int == 42, "\(rule.text)")
            #expect(!rule.text.contains(Self.email) && rule.text.contains(ErasurePseudonym.prefix))
            for path in ["silences", "routes", "alerts?limit=10"] {
                let listed = try await client.call(.get, "\(base)/\(path)", auth: .bearer(ws.key))
                #expect(listed.status == .ok && !listed.text.contains(Self.email), "\(path): \(listed.text)")
            }
            let jobs = try await api.db.ownerConnection()
            let finished = try #require(try await jobs.query("SELECT args::text AS a, last_error FROM jobs WHERE id = \(finishedJob)").first)
            let finishedArgs = try finished.decode("a", as: String.self)
            #expect(!finishedArgs.contains(Self.email) && finishedArgs.contains(#""attempt": 42"#), "\(finishedArgs)")
            #expect(try finished.decode("last_error", as: String?.self)?.contains(Self.email) == false)
            let pending = try #require(try await jobs.query("SELECT args::text AS a FROM jobs WHERE id = \(pendingJob)").first)
            #expect(try pending.decode("a", as: String.self).contains(Self.email), "a job still to run is left alone")
            let untouched = try #require(try await jobs.query("SELECT args::text AS a, last_error FROM jobs WHERE id = \(otherJob)").first)
            #expect(try untouched.decode("a", as: String.self).contains(Self.email), "another workspace's finished job is not rewritten")
            #expect(try untouched.decode("last_error", as: String?.self)?.contains(Self.email) == true)
            await jobs.close()
            let otherRuleNow = try await client.call(.get, "/v1/workspaces/\(other.slug)/alert-rules/\(otherRule)", auth: .bearer(other.key))
            #expect(otherRuleNow.text.contains(Self.email), "another workspace's rule still names the person: \(otherRuleNow.text)")
            // The replayed request is now a new one: its stored answer (quoting alice) is gone.
            let replay = try await client.call(.post, "\(base)/alerts", auth: .bearer(ws.key), json: #"{"title":"x","severity":"low","source":"billing"}"#,
                                               headers: [HTTPField.Name("Idempotency-Key")!: "retry-1"])
            #expect(replay.status == .created, "\(replay.text)")
        }
    }

    /// Events for alice and bob yesterday, rolled up.
    private func storeKPIEvents(_ api: TestAPI, _ client: some TestClientProtocol, _ ws: (id: String, slug: String, key: String)) async throws {
        let base = "/v1/workspaces/\(ws.slug)"
        #expect(try await client.call(.put, "\(base)/kpis/orders", auth: .bearer(ws.key),
                                      json: #"{"name":"Orders","unit":"orders","aggregation":"count","direction":"higher_is_better"}"#).status == .created)
        let yesterday = ISO8601DateFormatter().string(from: api.clock.now.addingTimeInterval(-86_400))
        let events = ["alice@example.com", "alice@example.com", "bob@example.com"].map {
            #"{"timestamp":"\#(yesterday)","dimensions":{"customer":"\#($0)"}}"#
        }
        let stored = try await client.call(.post, "\(base)/kpis/orders/events", auth: .bearer(ws.key),
                                           json: #"{"events":[\#(events.joined(separator: ","))]}"#)
        #expect(stored.status == .accepted, "\(stored.text)")
        let workspace = try #require(try await api.services.workspaces.find(reference: ws.slug))
        try await api.services.kpis.rollup(.day, in: workspace)
    }

    /// An alert rule matching alice (with 42s that must stay numbers), a silence and a route
    /// naming her. Returns the rule's id.
    private func storeConfiguration(_ client: some TestClientProtocol, _ ws: (id: String, slug: String, key: String)) async throws -> String {
        let base = "/v1/workspaces/\(ws.slug)"
        let rule = try await client.call(.post, "\(base)/alert-rules", auth: .bearer(ws.key), json: """
            {"name":"Slow checkout for \(Self.email)","metric":"checkout.duration","matchers":[{"name":"customer","op":"=","value":"\(Self.email)"}],
             "statistic":"mean","window_minutes":42,"comparison":">","threshold":42,"severity":"low"}
            """)
        #expect(rule.status == .created, "\(rule.text)")
        let silence = try await client.call(.post, "\(base)/silences", auth: .bearer(ws.key), json: """
            {"matchers":[{"name":"customer","op":"=","value":"\(Self.email)"}],"ends_at":"2099-01-01T00:00:00Z","comment":"asked by \(Self.email)"}
            """)
        #expect(silence.status == .created, "\(silence.text)")
        let channel = try await client.webhookChannel(ws.slug, key: ws.key, url: "http://127.0.0.1:9/hook")
        let route = try await client.call(.post, "\(base)/routes", auth: .bearer(ws.key), json: """
            {"matchers":[{"name":"customer","op":"=","value":"\(Self.email)"}],"channel_ids":["\(channel)"]}
            """)
        #expect(route.status == .created, "\(route.text)")
        return try #require(rule.json["id"] as? String)
    }

    /// A finished job and one still to run (far in the future), both quoting alice.
    private func storeJobs(_ api: TestAPI, _ ws: (id: String, slug: String, key: String)) async throws -> (finished: Int64, pending: Int64) {
        let owner = try await api.db.ownerConnection()
        let workspace = UUID(uuidString: ws.id)!
        let args = #"{"recipient": "\#(Self.email)", "attempt": 42}"#
        let finished = try await owner.query("""
            INSERT INTO jobs (workspace_id, kind, args, state, finished_at, last_error)
            VALUES (\(workspace), 'test.mail', \(args)::jsonb, 'discarded', now(), \("mailbox full for " + Self.email)) RETURNING id
            """).first!.decode("id", as: Int64.self)
        let pending = try await owner.query("""
            INSERT INTO jobs (workspace_id, kind, args, run_at) VALUES (\(workspace), 'test.mail', \(args)::jsonb, '2099-01-01') RETURNING id
            """).first!.decode("id", as: Int64.self)
        await owner.close()
        return (finished, pending)
    }
}
