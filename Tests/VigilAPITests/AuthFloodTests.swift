import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
import VigilCore
import VigilServices

/// Failed authentications are throttled in memory before any database work and recorded in
/// aggregate (`auth_failures`), never as one hash-chained audit row per attempt.
struct AuthFloodTests {
    /// A well-formed key of `workspace` (its id) that no one was ever given.
    static func randomKey(for workspaceID: String) -> String {
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
        return "vgl_\(workspaceID.replacingOccurrences(of: "-", with: ""))_\(Base64URL.encode(Data(bytes)))"
    }

    static func count(_ sql: String, _ api: TestAPI) async throws -> Int {
        let owner = try await api.db.ownerConnection()
        let n = try await owner.query(PostgresQuery(unsafeSQL: sql)).first?.decode("n", as: Int.self) ?? -1
        await owner.close()
        return n
    }

    @Test func aFloodOfBadKeysIsRefusedWithoutTouchingTheAuditChainOrOtherTenants() async throws {
        try await TestAPI.run { api, client in
            let victim = try await client.createWorkspace()
            let other = try await client.createWorkspace()
            // Both tenants have used their keys before: known good keys are never held back.
            #expect(try await client.call(.get, "/v1/workspaces/\(other.slug)/alerts", auth: .bearer(other.key)).status == .ok)
            #expect(try await client.call(.get, "/v1/workspaces/\(victim.slug)/alerts", auth: .bearer(victim.key)).status == .ok)
            let chainBefore = try await Self.count("SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.failed'", api)

            @Sendable func otherTenantLatencies() async throws -> [Duration] {
                try await withThrowingTaskGroup(of: Duration.self) { group in
                    for _ in 0..<200 {
                        group.addTask {
                            let begun = ContinuousClock.now
                            let reply = try await client.call(.get, "/v1/workspaces/\(other.slug)/alerts", auth: .bearer(other.key))
                            #expect(reply.status == .ok, "\(reply.text)")
                            return ContinuousClock.now - begun
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }.sorted()
                }
            }
            let baseline = try await otherTenantLatencies()

            let flood = 3_000
            let started = ContinuousClock.now
            async let otherTenant = otherTenantLatencies()
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for _ in 0..<flood {
                    group.addTask {
                        let reply = try await client.call(.get, "/v1/workspaces/\(victim.slug)/alerts", auth: .bearer(Self.randomKey(for: victim.id)))
                        if reply.status == .tooManyRequests { reply.expectErrorEnvelope(.tooManyRequests, "rate_limited") }
                        return (reply.status, reply.headers[.retryAfter])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let latencies = try await otherTenant
            let elapsed = ContinuousClock.now - started
            let limited = statuses.filter { $0.0 == .tooManyRequests }
            let unauthorized = statuses.filter { $0.0 == .unauthorized }.count
            func p99(_ sorted: [Duration]) -> Duration { sorted[min(sorted.count - 1, sorted.count * 99 / 100)] }
            print("auth flood: \(flood) bad keys in \(elapsed): \(limited.count) × 429, \(unauthorized) × 401; "
                  + "other tenant (200 concurrent requests) p99 \(p99(latencies)) during the flood, \(p99(baseline)) without")

            #expect(limited.count + unauthorized == flood, "only 401 or 429, never a 5xx")
            #expect(limited.count >= flood - 200, "most of the flood is refused before any database work")
            #expect(limited.allSatisfy { Int($0.1 ?? "") ?? 0 >= 1 }, "every 429 says when to retry")

            await api.services.auth.flushFailureCounts()
            #expect(try await Self.count("SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.failed'", api) == chainBefore,
                    "no audit-chain row per failure")
            let rows = try await Self.count("SELECT count(*)::int AS n FROM auth_failures WHERE workspace_id = '\(victim.id)'", api)
            let total = try await Self.count("SELECT coalesce(sum(count), 0)::int AS n FROM auth_failures WHERE workspace_id = '\(victim.id)'", api)
            #expect((1...3).contains(rows), "one row per minute and address, not per attempt: \(rows)")
            #expect(total == unauthorized)

            // The aggregate is visible to the workspace's admins.
            let listed = try await client.call(.get, "/v1/workspaces/\(victim.slug)/audit-log/auth-failures", auth: .bearer(victim.key))
            #expect(listed.status == .ok, "\(listed.text)")
            let items = try #require(listed.json["items"] as? [[String: Any]])
            #expect(items.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == unauthorized)
            #expect(items.allSatisfy { $0["kind"] as? String == "auth_failed" && $0["last_reason"] as? String == "key_unknown" })
        }
    }

    @Test func theWorkspaceBucketHoldsBackAttemptsFromEveryAddress() async throws {
        var limits = AuthFailureLimits(perIPPerMinute: 1_000, perWorkspacePerMinute: 5)
        limits.flushIntervalSeconds = 60
        try await TestAPI.run(authFailures: limits) { api, client in
            let a = try await client.createWorkspace()
            let b = try await client.createWorkspace()
            #expect(try await client.call(.get, "/v1/workspaces/\(a.slug)/alerts", auth: .bearer(a.key)).status == .ok)
            for _ in 0..<5 {
                try await client.call(.get, "/v1/workspaces/\(a.slug)/alerts", auth: .bearer(Self.randomKey(for: a.id)))
                    .expectErrorEnvelope(.unauthorized, "unauthenticated")
            }
            let refused = try await client.call(.get, "/v1/workspaces/\(a.slug)/alerts", auth: .bearer(Self.randomKey(for: a.id)))
            refused.expectErrorEnvelope(.tooManyRequests, "rate_limited")
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            // Keys naming the workspace pay into its bucket whatever the path says.
            try await client.call(.get, "/v1/workspaces/\(b.slug)/alerts", auth: .bearer(Self.randomKey(for: a.id)))
                .expectErrorEnvelope(.tooManyRequests, "rate_limited")
            // Another workspace is not affected, and a's own admin key (used before) still works.
            try await client.call(.get, "/v1/workspaces/\(b.slug)/alerts", auth: .bearer(Self.randomKey(for: b.id)))
                .expectErrorEnvelope(.unauthorized, "unauthenticated")
            #expect(try await client.call(.get, "/v1/workspaces/\(a.slug)/alerts", auth: .bearer(a.key)).status == .ok)
            // Time refills the bucket: 5 a minute is one every 12 s.
            api.clock.advance(by: 13)
            try await client.call(.get, "/v1/workspaces/\(a.slug)/alerts", auth: .bearer(Self.randomKey(for: a.id)))
                .expectErrorEnvelope(.unauthorized, "unauthenticated")
        }
    }

    @Test func successfulRequestsDoNotUseTheAllowance() async throws {
        try await TestAPI.run(authFailures: AuthFailureLimits(perIPPerMinute: 3, perWorkspacePerMinute: 3)) { _, client in
            let ws = try await client.createWorkspace()
            for _ in 0..<20 {
                #expect(try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(ws.key)).status == .ok)
            }
            let viewer = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer")
            // A first use (not yet known good) still passes: the token taken up front is given back.
            #expect(try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(viewer.key)).status == .ok)
        }
    }

    @Test func aRepeatedBadKeyIsAnsweredFromTheNegativeCache() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let bad = Self.randomKey(for: ws.id)
            let before = api.services.auth.statistics
            for _ in 0..<10 {
                try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(bad)).expectErrorEnvelope(.unauthorized, "unauthenticated")
            }
            let after = api.services.auth.statistics
            #expect(after.keyLookups - before.keyLookups == 1, "only the first attempt reached the database")
            #expect(after.negativeCacheHits - before.negativeCacheHits == 9)
            await api.services.auth.flushFailureCounts()
            #expect(try await Self.count("SELECT coalesce(sum(count), 0)::int AS n FROM auth_failures WHERE workspace_id = '\(ws.id)'", api) == 10,
                    "cached failures are still counted")
            // A revoked key is cached as bad at once too, so revocation still holds.
            let member = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "member")
            #expect(try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(member.key)).status == .ok)
            #expect(try await client.call(.delete, "/v1/workspaces/\(ws.slug)/api-keys/\(member.id)", auth: .bearer(ws.key)).status == .noContent)
            for _ in 0..<2 {
                try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(member.key)).expectErrorEnvelope(.unauthorized, "unauthenticated")
            }
        }
    }

    @Test func aValidKeyProbingAnotherWorkspaceIsRecordedInItsOwn() async throws {
        try await TestAPI.run { api, client in
            let a = try await client.createWorkspace()
            let b = try await client.createWorkspace()
            for path in [a.slug, a.id, a.slug] {
                try await client.call(.get, "/v1/workspaces/\(path)/alerts", auth: .bearer(b.key)).expectErrorEnvelope(.notFound, "not_found")
            }
            await api.services.auth.flushFailureCounts()
            let listed = try await client.call(.get, "/v1/workspaces/\(b.slug)/audit-log/auth-failures", auth: .bearer(b.key))
            let items = try #require(listed.json["items"] as? [[String: Any]])
            #expect(items.count == 1, "\(listed.text)")
            #expect(items.first?["kind"] as? String == "cross_workspace_probe")
            #expect(items.first?["count"] as? Int == 3)
            #expect((items.first?["last_reason"] as? String)?.hasPrefix("probed:") == true)
            #expect(items.first?["last_key_id"] != nil)
            // The probed workspace sees nothing of it, and learns nothing about b.
            let probed = try await client.call(.get, "/v1/workspaces/\(a.slug)/audit-log/auth-failures", auth: .bearer(a.key))
            #expect((probed.json["items"] as? [[String: Any]])?.isEmpty == true, "\(probed.text)")
        }
    }

    @Test func theFailureListPagesAndIsForAdminsOnly() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            for minute in 0..<3 {
                try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer("nonsense")).expectErrorEnvelope(.unauthorized, "unauthenticated")
                if minute < 2 { api.clock.advance(by: 60) }
            }
            await api.services.auth.flushFailureCounts()
            let first = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/auth-failures?limit=2", auth: .bearer(ws.key))
            #expect((first.json["items"] as? [[String: Any]])?.count == 2)
            let cursor = try #require(first.json["next_cursor"] as? String)
            let rest = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/auth-failures?limit=2&cursor=\(cursor)", auth: .bearer(ws.key))
            #expect((rest.json["items"] as? [[String: Any]])?.count == 1, "\(rest.text)")
            let minutes = ((first.json["items"] as? [[String: Any]] ?? []) + (rest.json["items"] as? [[String: Any]] ?? [])).compactMap { $0["minute"] as? String }
            #expect(minutes == minutes.sorted(by: >), "newest minute first")
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/auth-failures?cursor=junk", auth: .bearer(ws.key))
                .expectErrorEnvelope(.badRequest, "invalid_request")
            let viewer = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer")
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/auth-failures", auth: .bearer(viewer.key))
                .expectErrorEnvelope(.forbidden, "forbidden")
        }
    }

    @Test func anIngestKeyCannotReadTheWorkspaceSettings() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let ingest = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "ingest")
            try await client.call(.get, "/v1/workspaces/\(ws.slug)", auth: .bearer(ingest.key)).expectErrorEnvelope(.forbidden, "forbidden")
            for role in ["viewer", "member"] {
                let key = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: role)
                let reply = try await client.call(.get, "/v1/workspaces/\(ws.slug)", auth: .bearer(key.key))
                #expect(reply.status == .ok, "\(role): \(reply.text)")
                #expect(reply.json["settings"] != nil)
            }
        }
    }
}

extension ServiceSettings {
    /// These settings with other limits on failed authentications (tests' `TestAPI.run`).
    func with(authFailures: AuthFailureLimits) -> ServiceSettings {
        var copy = self
        copy.authFailures = authFailures
        return copy
    }
}
