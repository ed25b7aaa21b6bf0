import Foundation
import Testing
import VigilCore
import VigilRepositories
import VigilServices

/// A stored JSON document that no longer decodes (edited by hand, a bad restore) is an error
/// someone must see: a 500 with a log line, never a silent default, a 404, or a missing item.
@Suite(.serialized)
struct CorruptRowTests {
    /// Overwrites one column of one row as the table owner, inside the workspace's RLS scope.
    static func corrupt(_ api: TestAPI, workspace: String, _ statement: String) async throws {
        let owner = try await api.db.ownerConnection()
        try await owner.simpleQuery("""
            BEGIN; SET LOCAL ROLE vigil_owner; SELECT set_config('vigil.workspace_id', '\(workspace)', true);
            \(statement); COMMIT;
            """)
        await owner.close()
    }

    static func isCorruptRow(_ error: any Error) -> Bool {
        if case .corruptRow = error as? RepositoryError { return true }
        return false
    }

    @Test("a corrupt SLO definition is a 500 on show and list, not a 404 or a missing item")
    func corruptSLO() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let slo = try await client.postJSON("/v1/workspaces/\(ws.slug)/slos", key: ws.key, """
                {"name":"api availability","kind":"availability","good_metric":"requests.ok","total_metric":"requests.total",
                 "objective_percent":99.9,"window":"rolling_30d"}
                """)
            let id = try #require(slo["id"] as? String)
            try await Self.corrupt(api, workspace: ws.id, #"UPDATE slos SET spec = '{"name": 42}' WHERE id = '\#(id)'"#)

            try await client.call(.get, "/v1/workspaces/\(ws.slug)/slos/\(id)", auth: .bearer(ws.key))
                .expectErrorEnvelope(.internalServerError, "internal_error")
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/slos", auth: .bearer(ws.key))
                .expectErrorEnvelope(.internalServerError, "internal_error")
            let workspace = try await api.services.workspaces.find(reference: ws.slug)
            await #expect(throws: RepositoryError.self) { try await api.services.slos.get(try #require(UUID(uuidString: id)), in: workspace) }
        }
    }

    @Test("a corrupt KPI definition is a 500 on list and show (not a 404), and the service throws")
    func corruptKPI() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let put = try await client.call(.put, "/v1/workspaces/\(ws.slug)/kpis/logins", auth: .bearer(ws.key),
                                            json: #"{"name":"Logins","aggregation":"count","direction":"higher_is_better"}"#)
            #expect(put.status == .created, "\(put.text)")
            try await Self.corrupt(api, workspace: ws.id, #"UPDATE kpi_definitions SET spec = '{"name": 42}' WHERE key = 'logins'"#)

            try await client.call(.get, "/v1/workspaces/\(ws.slug)/kpis", auth: .bearer(ws.key)).expectErrorEnvelope(.internalServerError, "internal_error")
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/kpis/logins", auth: .bearer(ws.key)).expectErrorEnvelope(.internalServerError, "internal_error")
            let workspace = try await api.services.workspaces.find(reference: ws.slug)
            await #expect(throws: RepositoryError.self) { try await api.services.kpis.definitions(in: workspace) }
        }
    }

    @Test("unreadable channel secrets fail a replace instead of silently dropping the secrets")
    func corruptChannelSecrets() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let id = try await client.webhookChannel(ws.slug, key: ws.key, url: "http://127.0.0.1:9/hook", name: "hook")
            try await Self.corrupt(api, workspace: ws.id, #"UPDATE notification_channels SET secrets = '{"signing_secret": 7}' WHERE id = '\#(id)'"#)

            let shown = try await client.call(.get, "/v1/workspaces/\(ws.slug)/channels/\(id)", auth: .bearer(ws.key))
            #expect(shown.status == .ok, "the definition itself is fine: \(shown.text)")
            try await client.call(.put, "/v1/workspaces/\(ws.slug)/channels/\(id)", auth: .bearer(ws.key),
                                  json: #"{"name":"hook-renamed","kind":"webhook","url":"http://127.0.0.1:9/hook"}"#)
                .expectErrorEnvelope(.internalServerError, "internal_error")
            // Same destination: the stored secrets are read to be kept (a moved one needs new secrets).
            let spec = NotificationChannelSpec(name: "hook", kind: .webhook, url: "http://127.0.0.1:9/hook")
            await #expect(throws: RepositoryError.self) {
                try await api.services.alerting.channels.replace(try #require(UUID(uuidString: id)), with: spec, secrets: ChannelSecrets(),
                                                                 in: try #require(UUID(uuidString: ws.id)), actor: .admin,
                                                                 metadata: RequestMetadata(correlationID: "test", sourceIP: nil))
            }
        }
    }

    @Test("a corrupt digest schedule is a 500, not 'this workspace has no digest schedule'")
    func corruptDigestSchedule() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let hook = try await client.webhookChannel(ws.slug, key: ws.key, url: "http://127.0.0.1:9/hook")
            let saved = try await client.call(.put, "/v1/workspaces/\(ws.slug)/digest-schedule", auth: .bearer(ws.key), json: """
                {"frequency":"daily","local_hour":0,"time_zone":"UTC","channel_ids":["\(hook)"]}
                """)
            #expect(saved.status == .ok, "\(saved.text)")
            try await Self.corrupt(api, workspace: ws.id, #"UPDATE digest_schedules SET spec = '{"frequency": 1}'"#)
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/digest-schedule", auth: .bearer(ws.key))
                .expectErrorEnvelope(.internalServerError, "internal_error")
        }
    }

    @Test("corrupt timeline details are a 500 on the alert, not an empty details object")
    func corruptTimelineDetails() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let alert = try await client.raiseAlert(ws.slug, key: ws.key).alert
            try await Self.corrupt(api, workspace: ws.id, #"UPDATE alert_events SET details = '{"count": 1}' WHERE alert_id = '\#(alert.id)'"#)
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts/\(alert.id)", auth: .bearer(ws.key))
                .expectErrorEnvelope(.internalServerError, "internal_error")
        }
    }

    @Test("a corrupt silence is logged and skipped: alerts are still raised")
    func corruptSilenceIsSkipped() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let silence = try await client.postJSON("/v1/workspaces/\(ws.slug)/silences", key: ws.key, """
                {"matchers":[{"name":"env","op":"=","value":"prod"}],"ends_at":"2099-01-01T00:00:00Z","comment":"c"}
                """)
            try await Self.corrupt(api, workspace: ws.id, #"UPDATE silences SET spec = '{"matchers": 3}' WHERE id = '\#(silence.id)'"#)
            let raised = try await client.raiseAlert(ws.slug, key: ws.key, labels: ["env": "prod"])
            #expect(raised["outcome"] as? String == "created")
            // Reading the silence itself, though, is an error.
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/silences/\(silence.id)", auth: .bearer(ws.key))
                .expectErrorEnvelope(.internalServerError, "internal_error")
        }
    }
}
