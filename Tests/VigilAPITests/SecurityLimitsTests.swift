import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
import VigilCore
import VigilRepositories
import VigilServices

/// The volume bounds a hostile or careless tenant meets in security intelligence: at most
/// 10,000 blocks in force per workspace (counted per workspace, so one tenant's list never
/// limits another's), and an attack scan that reads at most 50,000 per-minute groups however
/// many distinct sources a workspace floods in.
struct SecurityLimitsTests {
    @Test func theBlockCapRefusesTheNextNewBlockButNotARenewalOrAnotherWorkspace() async throws {
        try await TestAPI.run { api, client in
            let full = try await client.createWorkspace(), other = try await client.createWorkspace()
            let owner = try await api.db.ownerConnection()
            // 10,000 manual blocks in force, written directly (10,000 API calls would only be slower).
            try await owner.execute("""
                INSERT INTO security_ips (workspace_id, network, source_key, score, score_at, blocked_until, block_source, block_reason,
                                          blocked_at, updated_at)
                SELECT \(UUID(uuidString: full.id)!), ('10.' || (i / 256) || '.' || (i % 256) || '.1')::inet,
                       '10.' || (i / 256) || '.' || (i % 256) || '.1', 0, now(), now() + interval '1 day', 'manual', 'cap test', now(), now()
                  FROM generate_series(0, \(SecurityBlockService.maxBlocks - 1)) AS i
                """)
            await owner.close()
            let block = #"{"reason":"one more","minutes":60}"#
            let refused = try await client.call(.post, "/v1/workspaces/\(full.slug)/security/ips/192.0.2.1/block", auth: .bearer(full.key), json: block)
            refused.expectErrorEnvelope(.conflict, "conflict")
            let renewed = try await client.call(.post, "/v1/workspaces/\(full.slug)/security/ips/10.0.0.1/block", auth: .bearer(full.key), json: block)
            #expect(renewed.status == .ok, "renewing a block in force adds none: \(renewed.text)")
            let elsewhere = try await client.call(.post, "/v1/workspaces/\(other.slug)/security/ips/192.0.2.1/block", auth: .bearer(other.key), json: block)
            #expect(elsewhere.status == .ok, "another workspace's blocks are its own: \(elsewhere.text)")
            let list = try await client.call(.get, "/v1/workspaces/\(full.slug)/security/blocklist.txt", auth: .bearer(full.key))
            #expect(list.text.split(separator: "\n").count == SecurityBlockService.maxBlocks)
            #expect(!list.text.contains("192.0.2.1"))

            // Once a block is lifted there is room again.
            #expect(try await client.call(.post, "/v1/workspaces/\(full.slug)/security/ips/10.0.0.1/unblock", auth: .bearer(full.key),
                                          json: #"{"reason":"room"}"#).status == .ok)
            let admitted = try await client.call(.post, "/v1/workspaces/\(full.slug)/security/ips/192.0.2.1/block", auth: .bearer(full.key), json: block)
            #expect(admitted.status == .ok, "\(admitted.text)")
        }
    }

    @Test func aScanReadsAtMostItsGroupCapAndStillFinishes() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            // One real event through the API (it also makes sure today's partition exists), then
            // 60,000 authentication failures from distinct sources in the last minutes.
            let stored = try await client.call(.post, "/v1/workspaces/\(ws.slug)/security/events", auth: .bearer(ws.key),
                                               json: SecurityAPITests.events([#"{"kind":"auth_failure","source_ip":"198.51.100.1","user_ref":"u-1"}"#]))
            #expect(stored.status == .accepted, "\(stored.text)")
            let flood = 60_000
            let owner = try await api.db.ownerConnection()
            try await owner.execute("""
                INSERT INTO security_events (workspace_id, id, ts, received_at, kind, source_ip, user_ref, details)
                SELECT \(UUID(uuidString: ws.id)!), gen_random_uuid(), \(api.clock.now)::timestamptz - interval '1 minute', now(), 'auth_failure',
                       '10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256), 'u-' || i, '{}'
                  FROM generate_series(1, \(flood)) AS i
                """)
            await owner.close()
            let workspace = try #require(try await api.services.workspaces.find(reference: ws.slug))
            let report = try await api.services.securityScanner.scan(workspace)
            #expect(report.signals == SecurityEventRepository.maxSignalRows, "the scan reads its cap of groups, not all \(flood + 1)")
            #expect(report.detections == 0, "one failure per source and account is no campaign")
        }
    }
}
