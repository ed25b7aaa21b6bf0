import Foundation
import PostgresClient
import Testing
import VigilCore
import VigilServices
import VigilTestFixtures

/// Retention of the KPI, SLO and digest stores (issue 14): KPI events and rollups and SLO
/// evaluations past the workspace's `kpis` retention go; the digest ledger follows
/// `notifications` but outlives any digest period (35 days at least), or a digest would repeat.
struct KPIRetentionTests {
    @Test func kpiSLOAndDigestRowsPastTheirRetentionAreRemovedRecentOnesKept() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let workspace = try #require(UUID(uuidString: ws.id))
            let put = try await client.call(.put, "/v1/workspaces/\(ws.slug)/kpis/signups", auth: .bearer(ws.key),
                                            json: #"{"name":"Signups","aggregation":"count","direction":"higher_is_better"}"#)
            #expect(put.status.code < 300, "\(put.text)")
            let slo = try await client.postJSON("/v1/workspaces/\(ws.slug)/slos", key: ws.key, KPIFanOutTests.availability)
            let sloText = try #require(slo["id"] as? String)
            let sloID = try #require(UUID(uuidString: sloText))
            let patch = try await client.call(.patch, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key),
                                              json: #"{"settings":{"retention_days":{"kpis":60,"notifications":7}}}"#)
            #expect(patch.status == .ok, "\(patch.text)")
            #expect(((patch.json["settings"] as? [String: Any])?["retention_days"] as? [String: Any])?["kpis"] as? Int == 60)

            let owner = try await api.db.ownerConnection()
            for (age, marker) in [(61, "old"), (59, "new")] {
                try await owner.execute("""
                    INSERT INTO kpi_events (workspace_id, kpi_key, value, ts, dimension_id)
                    VALUES (\(workspace), 'signups', 1, now() - \(age) * interval '1 day', \(marker))
                    """)
                try await owner.execute("""
                    INSERT INTO kpi_rollups (workspace_id, kpi_key, kind, period_start, period_end, time_zone, dimension_id, dimensions,
                                             count, sum, numerator_sum, denominator_sum)
                    VALUES (\(workspace), 'signups', 'day', now() - \(age + 1) * interval '1 day', now() - \(age) * interval '1 day',
                            'UTC', \(marker), '{}', 1, 1, 0, 0)
                    """)
                try await owner.execute("""
                    INSERT INTO slo_evaluations (workspace_id, slo_id, evaluated_at, window_start, good, total, compliance, budget_remaining,
                                                 burn_1h, burn_6h, decision, status)
                    VALUES (\(workspace), \(sloID), now() - \(age) * interval '1 day', now() - \(age + 30) * interval '1 day',
                            1, 1, 1, 1, 0, 0, 'none', 'healthy')
                    """)
            }
            // notifications is 7 days here, but the ledger keeps 35: 30 days stays, 36 goes.
            for (age, key) in [(36, "old-week"), (30, "recent-week")] {
                try await owner.execute("""
                    INSERT INTO digests_sent (workspace_id, unique_key, frequency, first_day, last_day, sent_at, channels)
                    VALUES (\(workspace), \(key), 'weekly', (now() - \(age + 7) * interval '1 day')::date, (now() - \(age) * interval '1 day')::date, now() - \(age) * interval '1 day', 1)
                    """)
            }

            _ = try await HousekeepingService(database: api.workerServices.database, logger: MigratedDatabase.logger).cleanup()

            #expect(try await Self.strings(owner, "SELECT dimension_id AS v FROM kpi_events WHERE workspace_id = \(workspace)") == ["new"])
            #expect(try await Self.strings(owner, "SELECT dimension_id AS v FROM kpi_rollups WHERE workspace_id = \(workspace)") == ["new"])
            #expect(try await Self.strings(owner, "SELECT status AS v FROM slo_evaluations WHERE workspace_id = \(workspace)").count == 1)
            #expect(try await Self.strings(owner, "SELECT unique_key AS v FROM digests_sent WHERE workspace_id = \(workspace)") == ["recent-week"])
            await owner.close()
        }
    }

    static func strings(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> [String] {
        try await connection.query(query).map { try $0.decode("v", as: String.self) }
    }
}
