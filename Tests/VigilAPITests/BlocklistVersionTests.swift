import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
import VigilCore
import VigilServices

/// An `If-None-Match` poll reads one row while nothing changed (the digests stored with the
/// blocklist's version), and every way the list can change makes the next poll compute them
/// again: a block, an unblock, an automatic block, and a block expiring with no write at all.
struct BlocklistVersionTests {
    @Test func pollsAnswerFromTheStoredDigestsUntilTheListChanges() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let base = "/v1/workspaces/\(ws.slug)/security"
            let workspaceID = UUID(uuidString: ws.id)!
            func poll() async throws -> (body: String, tag: String) {
                let reply = try await client.call(.get, base + "/blocklist.txt", auth: .bearer(ws.key))
                #expect(reply.status == .ok)
                return (reply.text, try #require(reply.headers[.eTag]))
            }
            func owner(_ sql: PostgresQuery) async throws {
                let connection = try await api.db.ownerConnection()
                try await connection.execute(sql)
                await connection.close()
            }
            func expectTrueTag(_ answer: (body: String, tag: String), _ what: String) {
                #expect(answer.tag == "\"" + SHA256Hex.hex(of: answer.body) + "\"", "\(what): the tag is the SHA-256 of the body")
            }
            // Another workspace's list, polled (so its digests are stored) before this one changes.
            let other = try await client.createWorkspace()
            func pollOther() async throws -> String? {
                try await client.call(.get, "/v1/workspaces/\(other.slug)/security/blocklist.txt", auth: .bearer(other.key)).headers[.eTag]
            }
            let otherTag = try await pollOther()
            #expect(try await client.call(.post, base + "/ips/198.51.100.1/block", auth: .bearer(ws.key),
                                          json: #"{"reason":"by hand","minutes":60}"#).status == .ok)
            let first = try await poll()
            expectTrueTag(first, "after a block")

            // Stored for this version: a poll now answers from the row (shown by planting a tag).
            try await owner("UPDATE security_ips_blocklist SET text_etag = 'planted' WHERE workspace_id = \(workspaceID)")
            #expect(try await poll().tag == "\"planted\"", "the poll read the stored digest, not the list")

            // Each change bumps the version, so the planted value is never served again.
            #expect(try await client.call(.post, base + "/ips/198.51.100.2/block", auth: .bearer(ws.key),
                                          json: #"{"reason":"short","minutes":1}"#).status == .ok)
            let second = try await poll()
            expectTrueTag(second, "after a second block")
            #expect(second.body == "198.51.100.1\n198.51.100.2\n")

            #expect(try await client.call(.post, base + "/ips/198.51.100.1/unblock", auth: .bearer(ws.key),
                                          json: #"{"reason":"done"}"#).status == .ok)
            let third = try await poll()
            expectTrueTag(third, "after an unblock")
            #expect(third.body == "198.51.100.2\n")

            // Expiry changes the list without any write: the stored digests were valid only
            // until the first listed block's end.
            api.clock.advance(by: 120)
            let fourth = try await poll()
            expectTrueTag(fourth, "after the short block expired")
            #expect(fourth.body.isEmpty)

            // An automatic block (threat score past the threshold) through event ingest.
            let sqli = Array(repeating: #"{"kind":"sql_injection","sub_kind":"union","source_ip":"203.0.113.77"}"#, count: 5)
            #expect(try await client.call(.post, base + "/events", auth: .bearer(ws.key), json: SecurityAPITests.events(sqli)).status == .accepted)
            let fifth = try await poll()
            expectTrueTag(fifth, "after an automatic block")
            #expect(fifth.body == "203.0.113.77\n")

            // None of it touched the other workspace: its version, its stored digests, its list.
            #expect(try await pollOther() == otherTag)
            #expect(try await IdempotencyKeyTests().count(api, """
                SELECT version::integer AS n FROM security_ips_blocklist WHERE workspace_id = \(UUID(uuidString: other.id)!)
                """) == 0, "the other workspace's blocklist version never moved")
        }
    }

    /// Deleting a workspace empties its tables in name order; the blocklist state row is
    /// written by a trigger when blocks are deleted, and must not be left behind.
    @Test func aWorkspaceWithBlocksIsDeletedWhole() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let base = "/v1/workspaces/\(ws.slug)/security"
            #expect(try await client.call(.post, base + "/ips/198.51.100.9/block", auth: .bearer(ws.key),
                                          json: #"{"reason":"by hand","minutes":60}"#).status == .ok)
            #expect(try await client.call(.get, base + "/blocklist.txt", auth: .bearer(ws.key)).status == .ok)
            let workspace = try #require(try await api.services.workspaces.find(reference: ws.slug))
            let certificate = try await api.asMigrator {
                try await $0.workspaces.delete(workspace, actor: .system("test"), metadata: .init(correlationID: "t", sourceIP: nil))
            }
            #expect(certificate.isComplete, "\(certificate.tables.filter { $0.remaining > 0 })")
            #expect(certificate.tables.contains { $0.name == "security_ips_blocklist" })
        }
    }
}
