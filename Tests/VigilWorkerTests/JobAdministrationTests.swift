import Foundation
import PostgresClient
import Testing
import VigilCore
import VigilRepositories
import VigilServices
import VigilTestFixtures

/// `vigil jobs retry|cancel` and the jobs listing: the transitions they allow, the 409s and
/// 404s they answer, and their audit entries.
@Suite("Job administration")
struct JobAdministrationTests {
    static let metadata = RequestMetadata(correlationID: "admin-test", sourceIP: nil)

    func set(_ db: JobTestDatabase, _ id: Int64, state: String) async throws {
        let connection = try await db.db.ownerConnection()
        try await connection.query("UPDATE jobs SET state = \(state), attempt = max_attempts, finished_at = now() WHERE id = \(id)")
        await connection.close()
    }

    @Test("retry runs a discarded job again with one more attempt; cancel stops a pending one; each change is audited once")
    func retryAndCancel() async throws {
        let db = try await JobTestDatabase.make()
        let admin = JobAdministration(database: db.database)
        let workspace = UUID()
        let discarded = try #require(try await db.enqueue(NewJob(workspaceID: workspace, kind: "k", maxAttempts: 3)))
        try await set(db, discarded, state: "discarded")

        let retried = try await admin.retry(id: discarded, actor: .system("cli"), metadata: Self.metadata)
        #expect(retried.state == .available)
        #expect(retried.maxAttempts == 4)
        #expect(retried.finishedAt == nil)
        // Repeating a command is a no-op, not a second change.
        #expect(try await admin.retry(id: discarded, actor: .system("cli"), metadata: Self.metadata).maxAttempts == 4)

        let cancelled = try await admin.cancel(id: discarded, actor: .system("cli"), metadata: Self.metadata)
        #expect(cancelled.state == .cancelled)
        #expect(try await admin.cancel(id: discarded, actor: .system("cli"), metadata: Self.metadata).state == .cancelled)

        #expect(try await db.ownerScalar("""
            SELECT count(*)::int AS n FROM audit_log WHERE workspace_id = \(workspace) AND action IN ('job.retry', 'job.cancel')
            """) == 2)
        try await db.close()
    }

    @Test("running and succeeded jobs cannot be cancelled or retried; unknown ids are not found")
    func conflictsAndMissing() async throws {
        let db = try await JobTestDatabase.make()
        let admin = JobAdministration(database: db.database)
        let workspace = UUID()
        let running = try #require(try await db.enqueue(NewJob(workspaceID: workspace, kind: "k")))
        try await set(db, running, state: "running")
        let succeeded = try #require(try await db.enqueue(NewJob(workspaceID: workspace, kind: "k")))
        try await set(db, succeeded, state: "succeeded")

        for id in [running, succeeded] {
            await #expect(throws: ServiceError.self) { try await admin.cancel(id: id, actor: .system("cli"), metadata: Self.metadata) }
            await #expect(throws: ServiceError.self) { try await admin.retry(id: id, actor: .system("cli"), metadata: Self.metadata) }
        }
        do {
            _ = try await admin.find(id: 987_654_321)
            Issue.record("an unknown job was found")
        } catch let error as ServiceError {
            #expect(error == .notFound("job 987654321 does not exist"))
        }
        #expect(try await db.ownerScalar("SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'job.%'") == 0,
                "refused changes are not audited")
        try await db.close()
    }

    @Test("retrying while another job holds the unique key is a conflict, not an error")
    func retryUniqueKeyConflict() async throws {
        let db = try await JobTestDatabase.make()
        let admin = JobAdministration(database: db.database)
        let workspace = UUID()
        let old = try #require(try await db.enqueue(NewJob(workspaceID: workspace, kind: "k", uniqueKey: "digest:2026-11-30")))
        try await set(db, old, state: "discarded")
        _ = try #require(try await db.enqueue(NewJob(workspaceID: workspace, kind: "k", uniqueKey: "digest:2026-11-30")))
        do {
            _ = try await admin.retry(id: old, actor: .system("cli"), metadata: Self.metadata)
            Issue.record("retry succeeded despite a pending job with the same key")
        } catch let error as ServiceError {
            guard case .conflict = error else { Issue.record("expected a conflict, got \(error)"); return }
        }
        #expect(try await db.row(old)?.state == .discarded)
        try await db.close()
    }

    @Test("a workspace's listing never shows another workspace's jobs")
    func listingIsScoped() async throws {
        let db = try await JobTestDatabase.make()
        let admin = JobAdministration(database: db.database)
        let a = UUID(), b = UUID()
        try await db.enqueue(NewJob(workspaceID: a, kind: "mine"))
        try await db.enqueue(NewJob(workspaceID: b, kind: "theirs"))
        let page = try await admin.list(in: a, filter: JobFilter(), limit: nil, cursor: nil)
        #expect(page.items.map(\.kind) == ["mine"])
        let everything = try await admin.listAll(workspaceID: nil, filter: JobFilter(), beforeID: nil, limit: 10)
        #expect(Set(everything.map(\.kind)) == ["mine", "theirs"])
        try await db.close()
    }
}
