import Foundation
import PostgresClient
import Testing
import VigilCore
import VigilRepositories
import VigilServices
import VigilTestFixtures

/// Retention also removes metric series once none of their points or rollups is left, and an
/// API process that remembered a pruned series writes it again: it trusts what it remembers
/// for an hour at most, and only series older than that are pruned.
@Suite("Series pruning")
struct SeriesPruningTests {
    @Test("series without data go once older than the trust interval, and come back when sent again")
    func unreferencedSeriesArePrunedAndRecreated() async throws {
        let db = try await JobTestDatabase.make()
        let time = TestClock()
        let clock = WallClock(now: { time.now })
        let policy = WorkspaceLimitPolicy(defaults: WorkspaceLimits(), database: db.database, clock: clock)
        let ingest = MetricIngestService(database: db.database, clock: clock, configuration: MetricsConfiguration(), limits: policy,
                                         rateLimiter: WorkspaceRateLimiter(database: db.database, clock: clock, policy: policy))
        let workspaces = WorkspaceService(database: db.database, clock: WallClock())
        let metadata = RequestMetadata(correlationID: "test", sourceIP: nil)
        let (workspace, _) = try await workspaces.create(WorkspaceCreation(name: "Pruned", slug: nil, settings: WorkspaceSettings()),
                                                         actor: .system("test"), metadata: metadata)
        func send(_ host: String) async throws {
            _ = try await ingest.ingest([RawMetricPoint(name: "cpu", kind: "gauge", value: 1, timestamp: clock.now(), tags: ["host": host])],
                                        into: workspace)
        }
        func series() async throws -> Int {
            try await db.ownerScalar("SELECT count(*)::int AS n FROM metric_series WHERE workspace_id = \(workspace.id)")
        }
        try await send("gone")
        try await send("kept")
        #expect(try await series() == 2)
        // "gone" has aged out: its points and rollups are deleted (as retention would), and the
        // series row is old. A third series without data but created just now stays.
        let owner = try await db.db.ownerConnection()
        try await owner.execute("""
            DELETE FROM metric_points WHERE workspace_id = \(workspace.id) AND series_id IN
                (SELECT series_id FROM metric_series WHERE workspace_id = \(workspace.id) AND tags ->> 'host' = 'gone')
            """)
        try await owner.execute("""
            DELETE FROM metric_rollups WHERE workspace_id = \(workspace.id) AND series_id IN
                (SELECT series_id FROM metric_series WHERE workspace_id = \(workspace.id) AND tags ->> 'host' = 'gone')
            """)
        try await owner.execute("UPDATE metric_series SET created_at = now() - interval '2 hours' WHERE workspace_id = \(workspace.id)")
        try await owner.execute("""
            INSERT INTO metric_series (workspace_id, series_id, name, tags) VALUES (\(workspace.id), 42, 'cpu', '{"host":"new"}')
            """)
        await owner.close()

        let report = try await HousekeepingService(database: db.database, logger: MigratedDatabase.logger).cleanup()
        #expect(report.removed[workspace.id]?["metric_series"] == 1)
        #expect(try await db.ownerScalar("""
            SELECT count(*)::int AS n FROM metric_series WHERE workspace_id = \(workspace.id) AND tags ->> 'host' = 'gone'
            """) == 0)
        #expect(try await series() == 2, "the series with data and the one created just now stay")

        // The API process still remembers "gone"; an hour later it no longer trusts that and
        // inserts it again with its next point, so the point is not left without its series.
        time.advance(by: 3_601)
        try await send("gone")
        #expect(try await db.ownerScalar("""
            SELECT count(*)::int AS n FROM metric_series WHERE workspace_id = \(workspace.id) AND tags ->> 'host' = 'gone'
            """) == 1)
        try await db.close()
    }
}
