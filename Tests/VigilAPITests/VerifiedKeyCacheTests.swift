import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilServices

/// A known key costs no authentication transaction, yet revocation still takes effect at once
/// on every API process: the request's own transaction re-checks the key.
@Suite(.serialized) struct VerifiedKeyCacheTests {
    static let request = RequestMetadata(correlationID: "c", sourceIP: "127.0.0.1")

    @Test func aKnownKeyIsLookedUpOnce() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let viewer = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer").key
            let before = api.services.auth.statistics.keyLookups
            for _ in 0..<20 {
                #expect(try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(viewer)).status == .ok)
            }
            #expect(api.services.auth.statistics.keyLookups - before == 1)
        }
    }

    /// Two `Services` over one database are two API processes: B revokes a key A has cached,
    /// and A's very next request with it is refused, before A's cache expires.
    @Test func aRevocationOnAnotherProcessIsEnforcedAtOnce() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let issued = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer")
            let processA = api.services
            let processB = Services(environment: api.services.environment)
            let credentials = Credentials(bearer: issued.key, apiKeyHeader: nil)
            let caller = try await processA.auth.requireKey(credentials, workspace: ws.slug, role: .viewer, request: Self.request)
            let cachedCaller = try await processA.auth.requireKey(credentials, workspace: ws.slug, role: .viewer, request: Self.request)
            #expect(cachedCaller == caller)
            _ = try await processA.auth.asserting(cachedCaller) {
                try await processA.alerts.list(in: cachedCaller.workspace, filter: AlertFilter(), limit: 5, cursor: nil)
            }

            try await processB.apiKeys.revoke(in: caller.workspace.id, id: UUID(uuidString: issued.id)!, actor: .admin, metadata: Self.request)

            // A still holds the key in memory, so authentication itself passes…
            let stale = try await processA.auth.requireKey(credentials, workspace: ws.slug, role: .viewer, request: Self.request)
            // …but the work's transaction refuses it, and A forgets it.
            await #expect(throws: ServiceError.unauthenticated("the API key is not valid, expired or revoked")) {
                try await processA.auth.asserting(stale) {
                    try await processA.alerts.list(in: stale.workspace, filter: AlertFilter(), limit: 5, cursor: nil)
                }
            }
            await #expect(throws: ServiceError.self) {
                try await processA.auth.requireKey(credentials, workspace: ws.slug, role: .viewer, request: Self.request)
            }
            // Through the HTTP API of process A, too.
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(issued.key))
                .expectErrorEnvelope(.unauthorized, "unauthenticated")
        }
    }

    /// An answer that needs no database work (the workspace's own settings, served from the
    /// cached caller) is refused too once another process revoked the key.
    @Test func aRevokedKeyReadsNothingEvenFromCachedState() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let issued = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer")
            #expect(try await client.call(.get, "/v1/workspaces/\(ws.slug)", auth: .bearer(issued.key)).status == .ok)
            #expect(try await client.call(.get, "/v1/workspaces/\(ws.slug)", auth: .bearer(issued.key)).status == .ok)  // now cached
            let processB = Services(environment: api.services.environment)
            let workspaceID = UUID(uuidString: ws.id)!
            try await processB.apiKeys.revoke(in: workspaceID, id: UUID(uuidString: issued.id)!, actor: .admin, metadata: Self.request)
            try await client.call(.get, "/v1/workspaces/\(ws.slug)", auth: .bearer(issued.key))
                .expectErrorEnvelope(.unauthorized, "unauthenticated")
        }
    }

    /// A workspace deleted by another process (`vigil workspace delete`) takes its keys with it:
    /// a key still cached here is refused (401), also when its request opens a new rate-limit
    /// minute and would otherwise charge usage to the deleted workspace (a 500, found by the smoke run).
    @Test func aWorkspaceDeletedByAnotherProcessRefusesItsCachedKeys() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            // Ten seconds before a minute ends, the key is cached and a slice of the minute's
            // requests leased; eleven seconds later a new minute opens, within the cache's TTL.
            let second = api.clock.now.timeIntervalSince1970.truncatingRemainder(dividingBy: 60)
            api.clock.advance(by: (110 - second).truncatingRemainder(dividingBy: 60))
            #expect(try await client.call(.get, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key)).status == .ok)
            #expect(try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(ws.key)).status == .ok)

            // Process B: the operator's CLI, with the migrator's login.
            _ = try await api.asMigrator { processB in
                let workspace = try await processB.workspaces.find(reference: ws.slug)
                return try await processB.workspaces.delete(workspace, actor: .system("test"), metadata: Self.request)
            }
            api.clock.advance(by: 11)

            try await client.call(.get, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key))
                .expectErrorEnvelope(.unauthorized, "unauthenticated")
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(ws.key))
                .expectErrorEnvelope(.unauthorized, "unauthenticated")
        }
    }

    /// Settings changed on this process reach its next request (the cached caller is dropped).
    @Test func aSettingsChangeIsSeenByTheNextRequest() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            #expect(try await client.call(.get, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key)).status == .ok)
            let patched = try await client.call(.patch, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key),
                                                json: #"{"settings":{"time_zone":"Asia/Tokyo"}}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            let read = try await client.call(.get, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key))
            #expect((read.json["settings"] as? [String: Any])?["time_zone"] as? String == "Asia/Tokyo", "\(read.text)")
        }
    }
}
