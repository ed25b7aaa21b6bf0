import Foundation
import PostgresClient
import Testing
import VigilCore
@testable import VigilRepositories
import VigilTestFixtures

/// Row-level security, the application role, and the append-only audit log, checked in SQL.
struct TenancyTests {
    /// An unsealed audit entry; the repository assigns seq and hashes.
    static func draft(_ workspace: UUID, action: String, actorID: String = "admin", details: [String: String] = [:]) -> AuditRecord {
        AuditRecord(workspaceID: workspace, seq: 0, id: UUID(), occurredAtMicros: Date().microsecondsSince1970, actorType: "system",
                    actorID: actorID, action: action, resourceType: "test", resourceID: nil, sourceIP: "127.0.0.1",
                    correlationID: "c", details: details, detailsDigest: "", prevHash: "", rowHash: "")
    }

    static func seedTwoWorkspaces(_ database: Database) async throws -> (UUID, UUID) {
        let a = UUID(), b = UUID()
        for (id, slug) in [(a, "tenant-a-\(a.uuidString.prefix(8).lowercased())"), (b, "tenant-b-\(b.uuidString.prefix(8).lowercased())")] {
            try await database.inWorkspace(id) { connection in
                try await WorkspaceRepository().insert(Workspace(id: id, slug: slug, name: slug, settings: WorkspaceSettings(), createdAt: Date()), on: connection)
                let token = ApiKeyToken.generate(workspaceID: id)
                try await ApiKeyRepository().insert(ApiKey(workspaceID: id, id: UUID(), name: "k", prefix: token.prefix, role: .admin,
                                                           createdBy: "test", createdAt: Date()), hash: token.hash, on: connection)
            }
        }
        return (a, b)
    }

    /// Every transaction takes the login's group role with SET LOCAL ROLE (no session state, so
    /// PgBouncer in transaction mode cannot carry it to another client), and the role ends with it.
    @Test(arguments: [(LoginPurpose.api, "vigil_app"), (LoginPurpose.worker, "vigil_worker")])
    func transactionsTakeTheGroupRoleLocally(_ purpose: LoginPurpose, _ group: String) async throws {
        let db = try await MigratedDatabase.create()
        let pool = db.makeAppPool(as: purpose)
        let database = Database(pool: pool, purpose: purpose)
        let inside = try await database.platform { try await $0.query("SELECT current_user AS who, session_user::text AS login") }
        #expect(try inside[0].decode("who", as: String.self) == group)
        #expect(try inside[0].decode("login", as: String.self) == MigratedDatabase.loginName(purpose))
        let after = try await pool.query("SELECT current_user AS who")
        #expect(try after[0].decode("who", as: String.self) == MigratedDatabase.loginName(purpose))
        await pool.shutdown()
        try await db.drop()
    }

    @Test func withoutTheWorkspaceSettingNothingIsVisible() async throws {
        let db = try await MigratedDatabase.create()
        let pool = db.makeAppPool()
        let database = Database(pool: pool)
        let (a, b) = try await Self.seedTwoWorkspaces(database)

        let unscoped = try await database.platform { try await $0.query("SELECT count(*)::int AS n FROM api_keys") }
        #expect(try unscoped[0].decode("n", as: Int.self) == 0)

        // A forgotten WHERE still sees only the current workspace.
        let scoped = try await database.inWorkspace(a) { try await $0.query("SELECT workspace_id FROM api_keys") }
        #expect(scoped.count == 1)
        #expect(try scoped[0].decode("workspace_id", as: UUID.self) == a)

        // Writing into another workspace is refused by the policy's WITH CHECK.
        let crossTenant = await #expect(throws: StorageError.self) {
            try await database.inWorkspace(a) { connection in
                try await connection.query("""
                    INSERT INTO api_keys (workspace_id, id, name, prefix, key_hash, role, created_by)
                    VALUES (\(b), \(UUID()), 'x', 'x', '\\x00'::bytea, 'admin', 'x')
                    """)
            }
        }
        #expect(crossTenant?.kind == .refused && crossTenant?.sqlState == "42501")
        // The setting does not outlive its transaction.
        let after = try await pool.query("SELECT count(*)::int AS n FROM api_keys")
        #expect(try after[0].decode("n", as: Int.self) == 0)
        await pool.shutdown()
        try await db.drop()
    }

    @Test func applicationRoleCannotUpdateOrDeleteTheAuditLog() async throws {
        let db = try await MigratedDatabase.create()
        let pool = db.makeAppPool()
        let database = Database(pool: pool)
        let (a, _) = try await Self.seedTwoWorkspaces(database)
        try await database.inWorkspace(a) { try await AuditLogRepository().append(Self.draft(a, action: "test"), on: $0) }
        for statement in ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
            do {
                try await database.inWorkspace(a) { try await $0.simpleQuery(statement) }
                Issue.record("\(statement) succeeded for vigil_app")
            } catch let error as StorageError {
                #expect(error.sqlState == "42501", "\(statement): \(error)")
            }
        }
        await pool.shutdown()
        try await db.drop()
    }

    @Test func ownerTamperingIsDetectedByVerification() async throws {
        let db = try await MigratedDatabase.create()
        let pool = db.makeAppPool()
        let database = Database(pool: pool)
        let (a, _) = try await Self.seedTwoWorkspaces(database)
        let repository = AuditLogRepository()
        for i in 1...5 {
            try await database.inWorkspace(a) { try await repository.append(Self.draft(a, action: "step.\(i)", details: ["i": "\(i)"]), on: $0) }
        }
        func verify() async throws -> AuditChain.Verifier {
            let rows = try await database.inWorkspace(a) { try await repository.chainBatch(workspaceID: a, afterSeq: 0, limit: 100, on: $0) }
            var verifier = AuditChain.Verifier()
            rows.forEach { verifier.feed($0.record, detailsRedacted: $0.detailsRedacted) }
            return verifier
        }
        #expect(try await verify().intact)
        #expect(try await verify().checked == 5)

        // Tamper as the owner role, through direct SQL.
        let owner = try await db.ownerConnection()
        try await owner.simpleQuery("""
            BEGIN; SET LOCAL ROLE vigil_owner; SELECT set_config('vigil.workspace_id', '\(a.uuidString.lowercased())', true);
            UPDATE audit_log SET action = 'nothing.happened' WHERE seq = 3; COMMIT;
            """)
        await owner.close()
        let verifier = try await verify()
        #expect(!verifier.intact)
        #expect(verifier.firstDefect?.record.seq == 3)
        #expect(verifier.firstDefect?.defect == .rowHashMismatch)
        await pool.shutdown()
        try await db.drop()
    }

    @Test func concurrentAppendsNeverForkTheChain() async throws {
        let db = try await MigratedDatabase.create()
        let pool = db.makeAppPool(maxConnections: 6)
        let database = Database(pool: pool)
        let (a, _) = try await Self.seedTwoWorkspaces(database)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<30 {
                group.addTask {
                    _ = try await database.inWorkspace(a) { try await AuditLogRepository().append(Self.draft(a, action: "parallel", actorID: "t\(i)"), on: $0) }
                }
            }
            try await group.waitForAll()
        }
        let rows = try await database.inWorkspace(a) { try await AuditLogRepository().chainBatch(workspaceID: a, afterSeq: 0, limit: 100, on: $0) }
        var verifier = AuditChain.Verifier()
        rows.forEach { verifier.feed($0.record, detailsRedacted: $0.detailsRedacted) }
        #expect(rows.count == 30)
        #expect(verifier.intact)
        await pool.shutdown()
        try await db.drop()
    }
}
