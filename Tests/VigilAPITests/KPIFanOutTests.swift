import Foundation
import Testing
import VigilCore
import VigilTestFixtures

/// KPI rollups, SLO evaluations and digest checks run as one job per workspace (issue 14): the
/// tick enqueues work only for workspaces that have some, never twice while one is pending,
/// and a workspace whose work fails does not stop another's.
struct KPIFanOutTests {
    static let availability = """
        {"name":"api","kind":"availability","good_metric":"requests.ok","total_metric":"requests.total",
         "objective_percent":99.9,"window":"rolling_30d"}
        """

    @Test func aWorkspaceWhoseSLOsFailDoesNotStopAnothers() async throws {
        try await TestAPI.run { api, client in
            let broken = try await client.createWorkspace(), healthy = try await client.createWorkspace()
            _ = try await client.createWorkspace()  // no SLOs: no job
            let bad = try #require(try await client.postJSON("/v1/workspaces/\(broken.slug)/slos", key: broken.key, Self.availability)["id"] as? String)
            let good = try #require(try await client.postJSON("/v1/workspaces/\(healthy.slug)/slos", key: healthy.key, Self.availability)["id"] as? String)
            try await CorruptRowTests.corrupt(api, workspace: broken.id, #"UPDATE slos SET spec = '{"name": 42}' WHERE id = '\#(bad)'"#)

            #expect(try await api.workerServices.kpiFanOut.dispatchSLOEvaluations() == 2)
            #expect(try await api.workerServices.kpiFanOut.dispatchSLOEvaluations() == 0, "a pending evaluation is not enqueued twice")
            try await AlertJobDrain(api).drain(advancingTime: true)

            let shown = try await client.call(.get, "/v1/workspaces/\(healthy.slug)/slos/\(good)", auth: .bearer(healthy.key))
            #expect(shown.json["latest"] as? [String: Any] != nil, "the healthy workspace's SLO was evaluated: \(shown.text)")
            #expect(try await Self.states(api, kind: KPIJobs.WorkspaceSLOEvaluateArgs.kind, workspace: broken.id) == ["discarded"])
            #expect(try await Self.states(api, kind: KPIJobs.WorkspaceSLOEvaluateArgs.kind, workspace: healthy.id) == ["succeeded"])
        }
    }

    @Test func rollupsAndDigestChecksGoOnlyToWorkspacesWithWork() async throws {
        try await TestAPI.run { api, client in
            let withEvents = try await client.createWorkspace(), withDigest = try await client.createWorkspace()
            let put = try await client.call(.put, "/v1/workspaces/\(withEvents.slug)/kpis/signups", auth: .bearer(withEvents.key),
                                            json: #"{"name":"Signups","aggregation":"count","direction":"higher_is_better"}"#)
            #expect(put.status == .ok || put.status == .created, "\(put.text)")
            let event = try await client.call(.post, "/v1/workspaces/\(withEvents.slug)/kpis/signups/events", auth: .bearer(withEvents.key),
                                              json: #"{"events":[{"value":1}]}"#)
            #expect(event.status.code < 300, "\(event.text)")
            let channel = try await client.postJSON("/v1/workspaces/\(withDigest.slug)/channels", key: withDigest.key,
                                                    #"{"name":"pd","kind":"pagerduty","secrets":{"routing_key":"abc"}}"#)
            let schedule = try await client.call(.put, "/v1/workspaces/\(withDigest.slug)/digest-schedule", auth: .bearer(withDigest.key),
                                                 json: #"{"frequency":"daily","local_hour":8,"time_zone":"UTC","channel_ids":["\#(channel["id"] as? String ?? "")"]}"#)
            #expect(schedule.status == .ok, "\(schedule.text)")

            #expect(try await api.workerServices.kpiFanOut.dispatchRollups(.day) == 1)
            #expect(try await api.workerServices.kpiFanOut.dispatchRollups(.month) == 1)
            #expect(try await api.workerServices.kpiFanOut.dispatchDigestChecks() == 1)
            try await AlertJobDrain(api).drain()
            #expect(try await Self.states(api, kind: KPIJobs.WorkspaceRollupArgs.kind, workspace: withEvents.id) == ["succeeded", "succeeded"])
            #expect(try await Self.states(api, kind: KPIJobs.WorkspaceRollupArgs.kind, workspace: withDigest.id) == [])
            #expect(try await Self.states(api, kind: KPIJobs.DigestCheckArgs.kind, workspace: withDigest.id) == ["succeeded"])
            #expect(try await Self.states(api, kind: KPIJobs.DigestCheckArgs.kind, workspace: withEvents.id) == [])
        }
    }

    /// The states of a workspace's jobs of one kind, read as the owner.
    static func states(_ api: TestAPI, kind: String, workspace: String) async throws -> [String] {
        let owner = try await api.db.ownerConnection()
        defer { Task { await owner.close() } }
        return try await owner.query("""
            SELECT state FROM jobs WHERE kind = \(kind) AND workspace_id = \(UUID(uuidString: workspace)!) ORDER BY id
            """).map { try $0.decode("state", as: String.self) }
    }
}
