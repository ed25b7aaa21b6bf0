import Foundation
import PostgresClient
import Testing
import VigilRepositories
import VigilTestFixtures
import VigilTestSupport

/// Migrations against empty databases (not the migrated template).
struct MigratorTests {
    static func emptyDatabase() async throws -> (TestClusterHandle, String, PostgresConnection) {
        let cluster = try await TestCluster.shared()
        let name = try await cluster.createDatabase(template: nil)
        let connection = try await PostgresConnection.connect(conninfo: cluster.conninfo(database: name), logger: MigratedDatabase.logger)
        return (cluster, name, connection)
    }

    static func temporaryMigrations(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-migrations-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, sql) in files { try sql.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    @Test func freshApplyThenIdempotentRerun() async throws {
        let (cluster, name, connection) = try await Self.emptyDatabase()
        let migrator = Migrator(files: try MigrationFile.bundled(), logger: MigratedDatabase.logger)
        let first = try await migrator.migrate(on: connection)
        #expect(first == migrator.files.map(\.name))
        #expect(first.first == "0001_foundation.sql")
        let second = try await migrator.migrate(on: connection)
        #expect(second.isEmpty)
        let status = try await migrator.status(on: connection)
        #expect(status.allSatisfy { $0.state == .applied })
        let tables = try await connection.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'vigil_owner'")
        #expect(try tables[0].decode("n", as: Int.self) >= 4)
        await connection.close()
        try await cluster.dropDatabase(name)
    }

    @Test func editedAppliedMigrationIsAnErrorNamingTheFile() async throws {
        let (cluster, name, connection) = try await Self.emptyDatabase()
        let original = try Self.temporaryMigrations(["0001_a.sql": "CREATE TABLE a (x int);", "0002_b.sql": "CREATE TABLE b (y int);"])
        try await Migrator(files: try MigrationFile.load(from: original), logger: MigratedDatabase.logger).migrate(on: connection)

        let edited = try Self.temporaryMigrations(["0001_a.sql": "CREATE TABLE a (x bigint);", "0002_b.sql": "CREATE TABLE b (y int);",
                                                   "0003_c.sql": "CREATE TABLE c (z int);"])
        let migrator = Migrator(files: try MigrationFile.load(from: edited), logger: MigratedDatabase.logger)
        await #expect(throws: MigrationError.checksumMismatch(file: "0001_a.sql")) { try await migrator.migrate(on: connection) }
        // Nothing after the bad file was applied either.
        let c = try await connection.query("SELECT to_regclass('c') IS NULL AS missing")
        #expect(try c[0].decode("missing", as: Bool.self))
        let status = try await migrator.status(on: connection)
        #expect(status.map(\.state) == [.modified, .applied, .pending])
        #expect("\(MigrationError.checksumMismatch(file: "0001_a.sql"))".contains("0001_a.sql"))
        await connection.close()
        try await cluster.dropDatabase(name)
    }

    /// Rolling back to the previous release: its `vigil migrate` and verdict accept newer
    /// migrations marked backward-compatible, and refuse (naming it) one that is not.
    @Test func anOlderBinaryRunsAgainstNewerBackwardCompatibleMigrationsOnly() async throws {
        let (cluster, name, connection) = try await Self.emptyDatabase()
        let base = "CREATE TABLE a (x int);"
        let expand = "-- Adds b.\n\(MigrationFile.backwardCompatibleMarker)\nCREATE TABLE b (y int);"
        let newer = try Self.temporaryMigrations(["0001_a.sql": base, "0002_b.sql": expand])
        try await Migrator(files: try MigrationFile.load(from: newer), logger: MigratedDatabase.logger).migrate(on: connection)

        let older = Migrator(files: try MigrationFile.load(from: try Self.temporaryMigrations(["0001_a.sql": base])), logger: MigratedDatabase.logger)
        #expect(try await older.verdict(on: connection) == .aheadCompatible(["0002_b.sql"]))
        #expect(try await older.migrate(on: connection).isEmpty)
        #expect(try await older.status(on: connection).map(\.state) == [.applied, .ahead])

        try await connection.simpleQuery("UPDATE schema_migrations SET backward_compatible = false WHERE version = 2")
        #expect(try await older.verdict(on: connection) == .aheadIncompatible(["0002_b.sql"]))
        await #expect(throws: MigrationError.appliedButMissing(version: 2, name: "0002_b.sql")) { try await older.migrate(on: connection) }
        await connection.close()
        try await cluster.dropDatabase(name)
    }

    /// `status` and `verdict` change nothing: on a database never migrated there is no ledger
    /// afterwards either (the API's and worker's `vigil migrate --check` may not create tables).
    @Test func statusIsReadOnly() async throws {
        let (cluster, name, connection) = try await Self.emptyDatabase()
        let migrator = Migrator(files: try MigrationFile.bundled(), logger: MigratedDatabase.logger)
        #expect(try await migrator.status(on: connection).allSatisfy { $0.state == .pending })
        #expect(try await migrator.verdict(on: connection) == .pending(migrator.files.map(\.name)))
        let ledger = try await connection.query("SELECT to_regclass('schema_migrations') IS NULL AS absent")
        #expect(try ledger[0].decode("absent", as: Bool.self))
        await connection.close()
        try await cluster.dropDatabase(name)
    }

    @Test func failingMigrationRollsBackEntirely() async throws {
        let (cluster, name, connection) = try await Self.emptyDatabase()
        let dir = try Self.temporaryMigrations(["0001_ok.sql": "CREATE TABLE ok (x int);",
                                                "0002_bad.sql": "CREATE TABLE half (x int); SELECT 1/0;"])
        let migrator = Migrator(files: try MigrationFile.load(from: dir), logger: MigratedDatabase.logger)
        await #expect(throws: PostgresError.self) { try await migrator.migrate(on: connection) }
        let rows = try await connection.query("SELECT to_regclass('ok') IS NOT NULL AS ok, to_regclass('half') IS NULL AS half_missing")
        #expect(try rows[0].decode("ok", as: Bool.self))
        #expect(try rows[0].decode("half_missing", as: Bool.self))
        #expect(try await migrator.status(on: connection).map(\.state) == [.applied, .pending])
        await connection.close()
        try await cluster.dropDatabase(name)
    }

    @Test func concurrentMigratorsApplyOnce() async throws {
        let (cluster, name, first) = try await Self.emptyDatabase()
        let second = try await PostgresConnection.connect(conninfo: cluster.conninfo(database: name), logger: MigratedDatabase.logger)
        let migrator = Migrator(files: try MigrationFile.bundled(), logger: MigratedDatabase.logger)
        async let a = migrator.migrate(on: first)
        async let b = migrator.migrate(on: second)
        let (appliedA, appliedB) = try await (a, b)
        #expect(appliedA.count + appliedB.count == migrator.files.count)
        await first.close()
        await second.close()
        try await cluster.dropDatabase(name)
    }

    @Test(arguments: ["1_short.sql", "00x1_bad.sql", "0001nounderscore.sql"])
    func badFileNamesAreRejected(name: String) throws {
        let dir = try Self.temporaryMigrations([name: "SELECT 1;"])
        #expect(throws: MigrationError.badFileName(name)) { try MigrationFile.load(from: dir) }
    }
}
