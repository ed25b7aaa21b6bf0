import Foundation
import PostgresClient
import Testing
import VigilCore
@testable import VigilRepositories
import VigilTestFixtures

/// The three-login split (migration 0024): the runtime logins the tests run as can never read
/// across tenants on their own, and the API login cannot run the operator functions. These fail
/// if the harness (or an operator) ran the application as an owner, superuser or BYPASSRLS login.
struct RuntimeLoginIsolationTests {
    /// Tenant tables: every table of the schema with a workspace_id column (partitions are
    /// reached through their parent, whose policy applies; they have no grants of their own).
    /// That each forces row-level security, jobs included, is TenantCatalogTests' rule.
    static func tenantTables(_ owner: PostgresConnection) async throws -> [(name: String, rls: Bool, forced: Bool)] {
        try await owner.query("""
            SELECT c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
               AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped)
             ORDER BY 1
            """).map { (try $0.decode("name", as: String.self), try $0.decode("rls", as: Bool.self), try $0.decode("forced", as: Bool.self)) }
    }

    @Test func noRuntimeLoginCanBypassRowLevelSecurity() async throws {
        let db = try await MigratedDatabase.create()
        let owner = try await db.ownerConnection()
        for purpose in LoginPurpose.allCases {
            let name = MigratedDatabase.loginName(purpose)
            let row = try #require(try await owner.query("""
                SELECT rolsuper, rolbypassrls, rolcreaterole, pg_has_role(oid, 'vigil_owner', 'MEMBER') AS owner_member,
                       EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
                                  AND pg_has_role(r.oid, c.relowner, 'MEMBER')) AS table_owner
                  FROM pg_roles r WHERE rolname = \(name)
                """).first)
            for column in ["rolsuper", "rolbypassrls", "rolcreaterole", "owner_member", "table_owner"] {
                #expect(try row.decode(column, as: Bool.self) == false, "\(name): \(column)")
            }
            // And the readiness check's own reading agrees.
            let pool = db.makeAppPool(as: purpose)
            let privileges = try await Database(pool: pool, purpose: purpose).platform { try await OperationsRepository().loginPrivileges(on: $0) }
            #expect(privileges.problems.isEmpty, "\(name): \(privileges)")
            await pool.shutdown()
        }
        // The check is not vacuous: the superuser the migrations ran as is flagged.
        let superPool = PostgresPool(configuration: PostgresPoolConfiguration(conninfo: db.ownerConninfo), logger: MigratedDatabase.logger)
        let flagged = try await Database(pool: superPool).platform { try await OperationsRepository().loginPrivileges(on: $0) }
        #expect(flagged.problems.contains("superuser"))
        await superPool.shutdown()
        await owner.close()
        try await db.drop()
    }

    /// As each runtime login with no workspace set (inside a transaction, and outside one as a
    /// PgBouncer'd connection that lost its session state would be), every tenant table is empty
    /// or refused, although two workspaces have keys, audit entries and jobs.
    @Test(arguments: LoginPurpose.allCases)
    func withoutAWorkspaceNoTenantRowIsVisible(_ purpose: LoginPurpose) async throws {
        let db = try await MigratedDatabase.create()
        let (a, b) = try await TenancyTests.seedTwoWorkspaces(Database(pool: db.makeAppPool()))
        let seeding = db.makeAppPool()
        for workspace in [a, b] {
            try await Database(pool: seeding).inWorkspace(workspace) { connection in
                try await JobRepository().enqueue(NewJob(workspaceID: workspace, kind: "test.noop"), on: connection)
                try await AuditLogRepository().append(TenancyTests.draft(workspace, action: "seeded"), on: connection)
            }
        }
        await seeding.shutdown()
        let owner = try await db.ownerConnection()
        let tables = try await Self.tenantTables(owner)
        let seeded = try await owner.query("SELECT (SELECT count(*) FROM jobs) + (SELECT count(*) FROM api_keys) AS n")
        #expect(try seeded[0].decode("n", as: Int.self) == 4)
        await owner.close()

        let pool = db.makeAppPool(as: purpose)
        let database = Database(pool: pool, purpose: purpose)
        for table in tables {
            let sql = "SELECT count(*)::int AS n FROM \(table.name)"
            for (how, count) in [("in a transaction", { try await database.platform { try await $0.query(PostgresQuery(unsafeSQL: sql)) } }),
                                 ("without one", { try await pool.query(PostgresQuery(unsafeSQL: sql)) })] as [(String, () async throws -> PostgresRows)] {
                do {
                    let rows = try await count()
                    #expect(try rows[0].decode("n", as: Int.self) == 0, "\(purpose) \(how) saw rows of \(table.name)")
                } catch let error as StorageError {
                    #expect(error.sqlState == "42501", "\(table.name): \(error)")
                } catch let error as PostgresError {
                    #expect(error.sqlState == "42501", "\(table.name): \(error)")
                }
            }
        }
        await pool.shutdown()
        try await db.drop()
    }

    /// The API login may run no SECURITY DEFINER function that reaches across workspaces.
    @Test func theAPILoginCannotRunOperatorFunctions() async throws {
        let db = try await MigratedDatabase.create()
        let owner = try await db.ownerConnection()
        let api = MigratedDatabase.loginName(.api), worker = MigratedDatabase.loginName(.worker)
        let executable = try await owner.query("""
            SELECT p.oid::regprocedure::text AS fn, has_function_privilege(\(api), p.oid, 'EXECUTE') AS api,
                   has_function_privilege(\(worker), p.oid, 'EXECUTE') AS worker
              FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
            """).map { (try $0.decode("fn", as: String.self), try $0.decode("api", as: Bool.self), try $0.decode("worker", as: Bool.self)) }
        #expect(executable.count > 10)
        // Only partition creation, which metric and security-event ingest need, and the current
        // workspace's own pseudonym key (migration 0024).
        #expect(Set(executable.filter(\.1).map(\.0)) == ["vigil_ensure_partitions(text,date,integer)", "vigil_workspace_pseudonym_key()"],
                "SECURITY DEFINER functions the API login may execute")
        // The worker keeps all but the owner-only erasure.
        #expect(executable.filter { !$0.2 }.map(\.0) == ["vigil_erase_workspace(uuid)"])
        await owner.close()

        let pool = db.makeAppPool(as: .api)
        let database = Database(pool: pool, purpose: .api)
        for call in ["SELECT pseudonym_key FROM workspaces", "SELECT vigil_retry_job(1)", "SELECT vigil_cancel_job(1)", "SELECT * FROM vigil_list_jobs(NULL, NULL, NULL, NULL, 10)",
                     "SELECT * FROM vigil_claim_jobs('w', 10, 2)", "SELECT count(*) FROM schedule_ticks"] {
            let error = await #expect(throws: StorageError.self, "\(call)") {
                try await database.platform { try await $0.query(PostgresQuery(unsafeSQL: call)) }
            }
            #expect(error?.sqlState == "42501", "\(call)")
        }
        // Nor can it become the worker's group or the owner for one transaction.
        for role in ["vigil_worker", "vigil_owner"] {
            await #expect(throws: StorageError.self, "SET ROLE \(role)") {
                try await database.platform { try await $0.simpleQuery("SET LOCAL ROLE \(role)") }
            }
        }
        await pool.shutdown()
        try await db.drop()
    }

    /// FORCE on jobs does not stop the worker: its definer functions claim across workspaces.
    @Test func theWorkerLoginClaimsJobsOfEveryWorkspace() async throws {
        let db = try await MigratedDatabase.create()
        let pool = db.makeAppPool(as: .worker)
        let database = Database(pool: pool, purpose: .worker)
        let (a, b) = try await TenancyTests.seedTwoWorkspaces(database)
        for workspace in [a, b] {
            try await database.inWorkspace(workspace) { try await JobRepository().enqueue(NewJob(workspaceID: workspace, kind: "test.noop"), on: $0) }
        }
        let claimed = try await database.platform { try await $0.query("SELECT workspace_id FROM vigil_claim_jobs('w', 10, 5)") }
        #expect(Set(try claimed.map { try $0.decode("workspace_id", as: UUID.self) }) == [a, b])
        await pool.shutdown()
        try await db.drop()
    }

    /// `workspaces` has no row-level security, but no tenant's pseudonym key is readable except
    /// the key of the workspace the transaction is confined to.
    @Test(arguments: LoginPurpose.allCases)
    func onlyTheCurrentWorkspacesPseudonymKeyIsReadable(_ purpose: LoginPurpose) async throws {
        let db = try await MigratedDatabase.create()
        let pool = db.makeAppPool(as: purpose)
        let database = Database(pool: pool, purpose: purpose)
        let (a, b) = try await TenancyTests.seedTwoWorkspaces(database)
        let keyA = try await database.inWorkspace(a) { try await WorkspaceRepository().pseudonymKey(on: $0) }
        let keyB = try await database.inWorkspace(b) { try await WorkspaceRepository().pseudonymKey(on: $0) }
        #expect(keyA?.count == 32 && keyB?.count == 32 && keyA != keyB)
        #expect(try await database.platform { try await WorkspaceRepository().pseudonymKey(on: $0) } == nil)
        let refused = await #expect(throws: StorageError.self) {
            try await database.inWorkspace(a) { try await $0.query("SELECT pseudonym_key FROM workspaces") }
        }
        #expect(refused?.sqlState == "42501")
        await pool.shutdown()
        try await db.drop()
    }
}
