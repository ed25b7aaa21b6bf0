import Foundation
import PostgresClient
import Testing
import VigilCore
@testable import VigilRepositories
import VigilServices
import VigilTestFixtures

/// Retention and partition upkeep against a real database: a registered, time-partitioned
/// test table stands in for the metric tables, with the same policy and grants they get.
@Suite("Housekeeping")
struct HousekeepingTests {
    static let day: TimeInterval = 86_400

    struct Fixture {
        let db: JobTestDatabase
        let shortLived: UUID      // metrics kept 7 days
        let longLived: UUID       // metrics kept 30 days
        let now = Date()

        func owner(_ sql: PostgresQuery) async throws {
            let connection = try await db.db.ownerConnection()
            do {
                try await connection.query(sql)
                await connection.close()
            } catch {
                await connection.close()
                throw error
            }
        }

        /// Several statements, no parameters (the simple query protocol).
        func ownerScript(_ sql: String) async throws {
            let connection = try await db.db.ownerConnection()
            do {
                try await connection.simpleQuery(sql)
                await connection.close()
            } catch {
                await connection.close()
                throw error
            }
        }

        func pointAges(_ workspace: UUID) async throws -> [Int] {
            let connection = try await db.db.ownerConnection()
            let rows = try await connection.query("SELECT age_days FROM test_points WHERE workspace_id = \(workspace) ORDER BY age_days")
            await connection.close()
            return try rows.map { try $0.decode("age_days", as: Int.self) }
        }
    }

    func makeFixture() async throws -> Fixture {
        let db = try await JobTestDatabase.make()
        let workspaces = WorkspaceService(database: db.database, clock: WallClock())
        var short = WorkspaceSettings()
        short.retentionDays.metrics = 7
        var long = WorkspaceSettings()
        long.retentionDays.metrics = 30
        let metadata = RequestMetadata(correlationID: "test", sourceIP: nil)
        let (a, _) = try await workspaces.create(WorkspaceCreation(name: "Short", slug: nil, settings: short), actor: .system("test"), metadata: metadata)
        let (b, _) = try await workspaces.create(WorkspaceCreation(name: "Long", slug: nil, settings: long), actor: .system("test"), metadata: metadata)
        let fixture = Fixture(db: db, shortLived: a.id, longLived: b.id)
        try await fixture.ownerScript("""
            SET ROLE vigil_owner;
            CREATE TABLE test_points (workspace_id uuid NOT NULL, ts timestamptz NOT NULL, age_days int NOT NULL) PARTITION BY RANGE (ts);
            ALTER TABLE test_points ENABLE ROW LEVEL SECURITY;
            ALTER TABLE test_points FORCE ROW LEVEL SECURITY;
            CREATE POLICY workspace_isolation ON test_points USING (workspace_id = vigil_current_workspace());
            GRANT SELECT, INSERT, DELETE ON test_points TO vigil_app;
            INSERT INTO partitioned_tables (parent, data_class) VALUES ('test_points', 'metrics');
            RESET ROLE;
            """)
        let partitions = PartitionRepository()
        try await db.database.platform {
            _ = try await partitions.ensure(parent: "test_points", firstDay: fixture.now.addingTimeInterval(-40 * Self.day), days: 42, on: $0)
        }
        for workspace in [a.id, b.id] {
            for age in [3, 10, 35] {
                try await fixture.owner("""
                    INSERT INTO test_points VALUES (\(workspace), now() - \(age) * interval '1 day', \(age))
                    """)
            }
        }
        return fixture
    }

    @Test("retention removes exactly what is expired per workspace, drops wholly expired partitions, and audits it")
    func retentionRemovesExactlyTheExpired() async throws {
        let fixture = try await makeFixture()
        let db = fixture.db
        // Jobs: one finished long ago, one finished recently, one old but still pending.
        try await fixture.owner("""
            INSERT INTO jobs (workspace_id, kind, state, created_at, finished_at)
            VALUES (\(fixture.shortLived), 'x', 'succeeded', now() - interval '20 days', now() - interval '20 days'),
                   (\(fixture.shortLived), 'x', 'discarded', now() - interval '2 days', now() - interval '2 days'),
                   (\(fixture.shortLived), 'x', 'retryable', now() - interval '20 days', NULL)
            """)
        try await fixture.owner("""
            INSERT INTO schedule_ticks (schedule, tick) VALUES ('s', now() - interval '40 days'), ('s', now() - interval '35 days')
            """)

        let service = HousekeepingService(
            database: db.database, targets: [RetentionTarget(table: "test_points", timeColumn: "ts", dataClass: "metrics")],
            logger: MigratedDatabase.logger)
        let report = try await service.cleanup()

        #expect(try await fixture.pointAges(fixture.shortLived) == [3])
        #expect(try await fixture.pointAges(fixture.longLived) == [3, 10])
        #expect(report.removed[fixture.shortLived]?["test_points"] == 2)
        #expect(report.removed[fixture.longLived]?["test_points"] == 1)
        #expect(report.removed[fixture.shortLived]?["jobs"] == 1)
        // Partitions older than the longest retention (30 days) are gone; younger ones stay, and
        // the first drop gave the table its DEFAULT partition (migration 0027).
        #expect(report.droppedPartitions.count >= 9)
        #expect(try await db.ownerScalar("""
            SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'test_points'::regclass
            """) == 42 - report.droppedPartitions.count + 1)
        #expect(try await db.ownerScalar("SELECT count(*)::int AS n FROM test_points_default") == 0, "no workspace keeps metrics past the maximum")
        #expect(try await db.ownerScalar("SELECT count(*)::int AS n FROM jobs") == 2)
        #expect(try await db.ownerScalar("SELECT count(*)::int AS n FROM schedule_ticks") == 1, "the schedule's latest tick stays")

        // Each part audits what it removed: the platform part the dropped partition's row and the
        // pruned job, the workspace's own part (its `retention.workspace` job) the deleted row.
        let audited = try await db.ownerScalar("""
            SELECT count(*)::int AS n FROM audit_log
             WHERE action = 'retention.cleanup' AND workspace_id = \(fixture.shortLived)
               AND ((details->>'test_points' = '1' AND details->>'jobs' = '1') OR (details->>'test_points' = '1' AND details->>'jobs' IS NULL))
            """)
        #expect(audited == 2)

        // A second run finds nothing more to remove and audits nothing new: 2 entries for the
        // short-lived workspace, 1 for the long-lived one, 1 for the platform's ledger rows.
        let again = try await service.cleanup()
        #expect(again.totalRemoved == 0)
        #expect(try await db.ownerScalar("SELECT count(*)::int AS n FROM audit_log WHERE action = 'retention.cleanup'") == 4)
        try await db.close()
    }

    @Test("retention deletes in bounded batches")
    func batches() async throws {
        let fixture = try await makeFixture()
        try await fixture.owner("""
            INSERT INTO test_points SELECT \(fixture.shortLived), now() - interval '9 days', 9 FROM generate_series(1, 25)
            """)
        var configuration = HousekeepingConfiguration()
        configuration.batchSize = 10
        let service = HousekeepingService(
            database: fixture.db.database, configuration: configuration,
            targets: [RetentionTarget(table: "test_points", timeColumn: "ts", dataClass: "metrics")], logger: MigratedDatabase.logger)
        let report = try await service.cleanup()
        #expect(report.removed[fixture.shortLived]?["test_points"] == 27)   // 25 + the 10-day row + the 35-day row
        #expect(try await fixture.pointAges(fixture.shortLived) == [3])
        try await fixture.db.close()
    }

    @Test("partition upkeep creates today's and the coming days' partitions once, and refuses unregistered tables")
    func partitionsAhead() async throws {
        let fixture = try await makeFixture()
        let db = fixture.db
        try await fixture.ownerScript("SET ROLE vigil_owner; DROP TABLE test_points; CREATE TABLE test_points (workspace_id uuid, ts timestamptz, age_days int) PARTITION BY RANGE (ts); RESET ROLE")
        let service = HousekeepingService(database: db.database, logger: MigratedDatabase.logger)
        let created = try await service.maintainPartitions()
        #expect(created.count == HousekeepingConfiguration().partitionDaysAhead + 2)
        #expect(try await service.maintainPartitions().isEmpty, "a second run creates nothing")
        let refused = await #expect(throws: StorageError.self) {
            try await db.database.platform { try await PartitionRepository().ensure(parent: "jobs", firstDay: Date(), days: 1, on: $0) }
        }
        #expect(refused?.sqlState == "22023")
        try await db.close()
    }

    @Test("retention applies to the metric tables with each workspace's metrics retention")
    func metricRetention() async throws {
        let fixture = try await makeFixture()
        let db = fixture.db
        // Ingest refuses points older than the retention, so these arrive "5 days ago" (a clock
        // 5 days behind), as points that were on time when sent.
        let fiveDaysAgo = WallClock(now: { Date().addingTimeInterval(-5 * Self.day) })
        func ingestService(_ clock: WallClock) -> MetricIngestService {
            let policy = WorkspaceLimitPolicy(defaults: WorkspaceLimits(), database: db.database, clock: clock)
            return MetricIngestService(database: db.database, clock: clock, configuration: MetricsConfiguration(), limits: policy,
                                       rateLimiter: WorkspaceRateLimiter(database: db.database, clock: clock, policy: policy))
        }
        let late = ingestService(fiveDaysAgo)
        let current = ingestService(WallClock())
        let workspaces = WorkspaceService(database: db.database, clock: WallClock())
        for (workspace, age) in [(fixture.shortLived, 3.0), (fixture.shortLived, 10.0), (fixture.longLived, 10.0)] {
            let target = try await workspaces.find(reference: workspace.uuidString)
            _ = try await (age > 5 ? late : current).ingest([RawMetricPoint(name: "m", kind: "gauge", value: age,
                                                        timestamp: fixture.now.addingTimeInterval(-age * Self.day))], into: target)
        }
        let report = try await HousekeepingService(database: db.database, logger: MigratedDatabase.logger).cleanup()
        // The 7-day workspace loses its 10-day point and that point's minute rollups (its
        // series' and its metric total's).
        #expect(report.removed[fixture.shortLived]?["metric_points"] == 1)
        #expect(report.removed[fixture.shortLived]?["metric_rollups"] == 2)
        #expect(report.removed[fixture.longLived]?["metric_points"] == nil)
        #expect(try await db.ownerScalar("SELECT count(*)::int AS n FROM metric_points") == 2)
        #expect(try await db.ownerScalar("SELECT count(*)::int AS n FROM metric_rollups WHERE workspace_id = \(fixture.shortLived)") == 2)
        try await db.close()
    }
}
