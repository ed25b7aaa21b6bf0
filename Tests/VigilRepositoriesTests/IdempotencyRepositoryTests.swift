import Foundation
import PostgresClient
import Testing
import VigilCore
@testable import VigilRepositories
import VigilTestFixtures

/// `idempotency_keys` (migration 0022) through the repository, as the application role: a
/// record is found only in its own workspace and operation, a live one is never overwritten, an
/// expired one is, and row-level security refuses a row for another workspace.
struct IdempotencyRepositoryTests {
    static let now = Date(microsecondsSince1970: Date().microsecondsSince1970)

    static func record(_ body: String, at created: Date = now) -> IdempotencyRecord {
        IdempotencyRecord(fingerprint: .of(.ingestMetrics, body: Array(body.utf8)),
                          response: IdempotentResponse(status: 200, body: Data(#"{"accepted":1}"#.utf8)),
                          createdAt: created, expiresAt: IdempotencyKey.expiry(from: created))
    }

    @Test func recordsAreScopedAndLiveOnesAreNeverOverwritten() async throws {
        let db = try await MigratedDatabase.create()
        let pool = db.makeAppPool()
        let database = Database(pool: pool)
        let (a, b) = try await TenancyTests.seedTwoWorkspaces(database)
        let repository = IdempotencyRepository()
        let key = try #require(try IdempotencyKey.parse("retry-me"))

        let first = Self.record("one")
        #expect(try await database.inWorkspace(a) {
            try await repository.insert(operation: .ingestMetrics, key: key, record: first, workspaceID: a, on: $0)
        })
        let found = try await database.inWorkspace(a) { try await repository.find(operation: .ingestMetrics, key: key, workspaceID: a, on: $0) }
        #expect(found?.fingerprint == first.fingerprint && found?.response == first.response)
        #expect(abs((found?.expiresAt.timeIntervalSince(first.expiresAt)) ?? 99) < 0.001)

        // Another workspace, or another operation, does not see it.
        #expect(try await database.inWorkspace(b) { try await repository.find(operation: .ingestMetrics, key: key, workspaceID: b, on: $0) } == nil)
        #expect(try await database.inWorkspace(a) { try await repository.find(operation: .createAlert, key: key, workspaceID: a, on: $0) } == nil)
        // A forgotten WHERE in B still cannot read A's row.
        let visible = try await database.inWorkspace(b) { try await $0.query("SELECT count(*)::int AS n FROM idempotency_keys") }
        #expect(try visible[0].decode("n", as: Int.self) == 0)
        // B may use the same key for itself.
        #expect(try await database.inWorkspace(b) {
            try await repository.insert(operation: .ingestMetrics, key: key, record: Self.record("other"), workspaceID: b, on: $0)
        })

        // A live record is kept: the second insert reports the race and changes nothing.
        #expect(try await database.inWorkspace(a) {
            try await repository.insert(operation: .ingestMetrics, key: key, record: Self.record("two"), workspaceID: a, on: $0)
        } == false)
        #expect(try await database.inWorkspace(a) { try await repository.find(operation: .ingestMetrics, key: key, workspaceID: a, on: $0) }?.fingerprint == first.fingerprint)

        // Once expired (not yet pruned) it is replaced.
        let later = Self.record("three", at: Self.now.addingTimeInterval(IdempotencyKey.lifetime + 1))
        #expect(try await database.inWorkspace(a) {
            try await repository.insert(operation: .ingestMetrics, key: key, record: later, workspaceID: a, on: $0)
        })
        #expect(try await database.inWorkspace(a) { try await repository.find(operation: .ingestMetrics, key: key, workspaceID: a, on: $0) }?.fingerprint == later.fingerprint)

        // Writing a row for another workspace is refused by the policy.
        let crossTenant = await #expect(throws: StorageError.self) {
            try await database.inWorkspace(a) {
                try await repository.insert(operation: .createAlert, key: key, record: first, workspaceID: b, on: $0)
            }
        }
        #expect(crossTenant?.sqlState == "42501")
        await pool.shutdown()
        try await db.drop()
    }
}
