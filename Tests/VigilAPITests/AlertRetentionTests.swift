import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
import VigilCore
import VigilServices
import VigilTestFixtures

/// Retention of alert data: resolved alerts (with their timelines) and ledger rows past the
/// workspace's `alerts` / `notifications` retention go; open alerts stay however old.
struct AlertRetentionTests {
    @Test func expiredResolvedAlertsAndLedgerRowsAreRemovedOpenAlertsKept() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let old = try await client.raiseAlert(ws.slug, key: ws.key, title: "old and resolved").alert.id
            let recent = try await client.raiseAlert(ws.slug, key: ws.key, title: "recently resolved").alert.id
            let open = try await client.raiseAlert(ws.slug, key: ws.key, title: "old but open").alert.id
            for id in [old, recent] {
                #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/alerts/\(id)/resolve", auth: .bearer(ws.key)).status == .ok)
            }
            let owner = try await api.db.ownerConnection()
            try await owner.execute("UPDATE alerts SET resolved_at = now() - interval '31 days' WHERE id = \(UUID(uuidString: old)!)")
            try await owner.execute("UPDATE alerts SET triggered_at = now() - interval '400 days' WHERE id = \(UUID(uuidString: open)!)")
            try await owner.execute("""
                INSERT INTO notifications (workspace_id, alert_id, event, idempotency_key, status, created_at)
                VALUES (\(UUID(uuidString: ws.id)!), \(UUID(uuidString: recent)!), 'triggered', 'k-old', 'sent', now() - interval '31 days'),
                       (\(UUID(uuidString: ws.id)!), \(UUID(uuidString: recent)!), 'triggered', 'k-new', 'sent', now())
                """)
            await owner.close()

            let report = try await HousekeepingService(database: api.workerServices.database, logger: MigratedDatabase.logger).cleanup()
            #expect(report.totalRemoved >= 2)
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts/\(old)", auth: .bearer(ws.key)).expectErrorEnvelope(.notFound, "not_found")
            #expect(try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts/\(recent)", auth: .bearer(ws.key)).status == .ok)
            #expect(try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts/\(open)", auth: .bearer(ws.key)).status == .ok)
            let keys = try await client.ledger(ws.slug, key: ws.key).compactMap { $0["idempotency_key"] as? String }
            #expect(keys.contains("k-new") && !keys.contains("k-old"))
            let checker = try await api.db.ownerConnection()
            let events = try await checker.query("SELECT count(*)::integer AS n FROM alert_events WHERE alert_id = \(UUID(uuidString: old)!)")
            #expect(try events.first!.decode("n", as: Int.self) == 0, "the timeline went with its alert")
            await checker.close()
        }
    }

    /// Expired silences are kept for the workspace's `alerts` retention after they end (as
    /// Alertmanager keeps them for its --data.retention), then go; an active one stays.
    @Test func expiredSilencesGoAfterTheAlertsRetention() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let owner = try await api.db.ownerConnection()
            let id = UUID(uuidString: ws.id)!
            try await owner.simpleQuery("""
                BEGIN; SET LOCAL ROLE vigil_owner; SELECT set_config('vigil.workspace_id', '\(ws.id)', true);
                INSERT INTO silences (workspace_id, id, spec, starts_at, ends_at) VALUES
                  ('\(ws.id)', gen_random_uuid(), '{}', now() - interval '60 days', now() - interval '31 days'),
                  ('\(ws.id)', gen_random_uuid(), '{}', now() - interval '60 days', now() - interval '29 days'),
                  ('\(ws.id)', gen_random_uuid(), '{}', now() - interval '1 day', now() + interval '1 day');
                COMMIT;
                """)
            let report = try await HousekeepingService(database: api.workerServices.database, logger: MigratedDatabase.logger).cleanup()
            #expect(report.removed[id]?["silences"] == 1, "only the one ended more than 30 days ago")
            let left = try await owner.query("SELECT count(*)::integer AS n FROM silences WHERE workspace_id = \(id)")
            #expect(try left.first!.decode("n", as: Int.self) == 2)
            await owner.close()
        }
    }
}
