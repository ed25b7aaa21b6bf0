import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
import VigilCore
import VigilTestFixtures

/// An Alertmanager message is one transaction: a failure part-way commits none of its alerts.
struct AlertmanagerBatchTransactionTests {
    /// An Alertmanager message is applied in one transaction: when the database refuses one of
    /// its alerts part-way, the alerts before it are not left behind, and the retry applies
    /// each exactly once.
    @Test func anAlertmanagerBatchFailingPartWayCommitsNothing() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let owner = try await api.db.ownerConnection()
            try await owner.execute("""
                CREATE FUNCTION test_refuse_alert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.title = 'refused by the database' THEN RAISE EXCEPTION 'refused for the test'; END IF;
                    RETURN NEW;
                END $$
                """)
            try await owner.execute("CREATE TRIGGER test_refuse_alert BEFORE INSERT ON alerts FOR EACH ROW EXECUTE FUNCTION test_refuse_alert()")
            await owner.close()

            let body = #"{"version":"4","status":"firing","alerts":["# +
                #"{"status":"firing","labels":{"alertname":"First"},"annotations":{"summary":"first"},"fingerprint":"f1"},"# +
                #"{"status":"firing","labels":{"alertname":"Second"},"annotations":{"summary":"refused by the database"},"fingerprint":"f2"},"# +
                #"{"status":"firing","labels":{"alertname":"Third"},"annotations":{"summary":"third"},"fingerprint":"f3"}]}"#
            let path = "/v1/workspaces/\(ws.slug)/integrations/alertmanager"
            let alerts: PostgresQuery = "SELECT count(*)::integer AS n FROM alerts WHERE workspace_id = \(UUID(uuidString: ws.id)!)"
            let failed = try await client.call(.post, path, auth: .bearer(ws.key), json: body)
            #expect(failed.status.code >= 500, "\(failed.text)")
            #expect(try await IdempotencyKeyTests().count(api, alerts) == 0, "the first alert must not stay committed")
            #expect(try await IdempotencyKeyTests().count(api, "SELECT count(*)::integer AS n FROM jobs WHERE workspace_id = \(UUID(uuidString: ws.id)!) AND kind LIKE 'alert.%'") == 0)

            let fixer = try await api.db.ownerConnection()
            try await fixer.execute("DROP TRIGGER test_refuse_alert ON alerts")
            await fixer.close()
            let retried = try await client.call(.post, path, auth: .bearer(ws.key), json: body)
            #expect(retried.status == .ok, "\(retried.text)")
            #expect(retried.json["created"] as? Int == 3)
            #expect(retried.json["deduplicated"] as? Int == 0)
            let occurrences = try await IdempotencyKeyTests().count(api, """
                SELECT sum(occurrence_count)::integer AS n FROM alerts WHERE workspace_id = \(UUID(uuidString: ws.id)!)
                """)
            #expect(occurrences == 3, "each alert once")
        }
    }
}
