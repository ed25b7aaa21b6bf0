import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilServices

/// A tenant cannot make every tenant's partitions outlive their retention: retention above the
/// deployment's maximum (`VIGIL_LIMIT_RETENTION_DAYS`, 400 days by default) is refused unless
/// the operator overrides the workspace's `retention_days` limit.
struct RetentionLimitAPITests {
    @Test func longRetentionNeedsTheOperatorsOverride() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let path = "/v1/workspaces/\(ws.slug)"
            func patch(_ json: String) async throws -> Reply {
                try await client.call(.patch, path, auth: .bearer(ws.key), json: json)
            }
            let refused = try await patch(#"{"settings":{"retention_days":{"metrics":3650}}}"#)
            refused.expectErrorEnvelope(.badRequest, "invalid_request")
            #expect(((refused.json["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String == "settings.retention_days.metrics")
            #expect(try await patch(#"{"settings":{"retention_days":{"metrics":400}}}"#).status == .ok, "up to the maximum is the tenant's choice")

            let limits = "\(path)/limits"
            #expect(try await client.call(.put, limits, auth: .bearer(TestAPI.adminToken), json: #"{"retention_days":3650}"#).status == .ok)
            let effective = try await client.call(.get, limits, auth: .bearer(ws.key))
            #expect((effective.json["effective"] as? [String: Any])?["retention_days"] as? Int == 3650, "\(effective.text)")
            #expect(try await patch(#"{"settings":{"retention_days":{"metrics":3650}}}"#).status == .ok, "the override allows it")

            // The override withdrawn: the stored ten years stay, other changes still work, and
            // the class may come down but not go up again.
            #expect(try await client.call(.put, limits, auth: .bearer(TestAPI.adminToken), json: "{}").status == .ok)
            #expect(try await patch(#"{"name":"Renamed"}"#).status == .ok)
            #expect(try await patch(#"{"settings":{"retention_days":{"metrics":3000}}}"#).status == .ok)
            try await patch(#"{"settings":{"retention_days":{"metrics":3001}}}"#).expectErrorEnvelope(.badRequest, "invalid_request")
            let stored = try await client.call(.get, path, auth: .bearer(ws.key))
            #expect(((stored.json["settings"] as? [String: Any])?["retention_days"] as? [String: Any])?["metrics"] as? Int == 3000)
        }
    }

    @Test func aNewWorkspaceStartsWithinTheMaximum() async throws {
        try await TestAPI.run { _, client in
            let created = try await client.call(.post, "/v1/workspaces", auth: .bearer(TestAPI.adminToken),
                                                json: #"{"name":"Long memory","settings":{"retention_days":{"audit_log":2000}}}"#)
            created.expectErrorEnvelope(.badRequest, "invalid_request")
            #expect(((created.json["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String
                    == "settings.retention_days.audit_log", "\(created.text)")
        }
    }
}
