import Foundation
import PostgresClient
import Testing
import VigilCore
import VigilServices
import VigilTestFixtures

/// Partition drops per retention class (migration 0027): a workspace the operator allowed to
/// keep metrics for years does not hold back the daily partition drops of everyone else. Its
/// rows of a dropped day move to the DEFAULT partition, later backfills land there too, and
/// row-by-row retention removes them at its own limit.
struct PartitionRetentionClassTests {
    static let day: TimeInterval = 86_400

    static func point(_ at: Date, value: Double = 1) -> [String: Any] {
        ["name": "cpu", "kind": "gauge", "value": value, "tags": ["host": "a"],
         "timestamp": at.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))]
    }

    static func partitionName(_ at: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: at)
        return String(format: "metric_points_p%04d%02d%02d", c.year!, c.month!, c.day!)
    }

    static func scalar(_ api: TestAPI, _ sql: String) async throws -> Int {
        let owner = try await api.db.ownerConnection()
        defer { Task { await owner.close() } }
        return try await owner.query(PostgresQuery(unsafeSQL: sql))[0].decode("n", as: Int.self)
    }

    @Test func anExtendedWorkspaceDoesNotHoldBackPartitionDrops() async throws {
        try await TestAPI.run { api, client in
            let standard = try await client.createWorkspace()
            let extended = try await client.createWorkspace()
            let path = "/v1/workspaces/\(extended.slug)"
            #expect(try await client.call(.put, "\(path)/limits", auth: .bearer(TestAPI.adminToken), json: #"{"retention_days":1000}"#).status == .ok)
            #expect(try await client.call(.patch, path, auth: .bearer(extended.key),
                                          json: #"{"settings":{"retention_days":{"metrics":1000}}}"#).status == .ok)
            let now = api.clock.now
            let old = now.addingTimeInterval(-450 * Self.day)
            func ingest(_ ws: (id: String, slug: String, key: String), _ points: [[String: Any]]) async throws {
                let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: try metricBody(points))
                #expect(reply.status == .ok, "\(reply.text)")
            }
            try await ingest(extended, [Self.point(old), Self.point(now.addingTimeInterval(-10 * Self.day))])
            try await ingest(standard, [Self.point(now)])
            let oldPartition = Self.partitionName(old)
            #expect(try await Self.scalar(api, "SELECT count(*)::int AS n FROM pg_class WHERE relname = '\(oldPartition)'") == 1)

            let report = try await HousekeepingService(database: api.workerServices.environment.database, clock: WallClock(now: { api.clock.now }),
                                                       logger: MigratedDatabase.logger).cleanup()
            #expect(report.droppedPartitions.contains(oldPartition), "the day is past 400 days, the standard class's longest: \(report.droppedPartitions)")
            let extendedID = try #require(UUID(uuidString: extended.id))
            #expect(report.removed[extendedID]?["metric_points"] == nil, "the extended workspace's point was moved, not removed")
            #expect(try await Self.scalar(api, "SELECT count(*)::int AS n FROM metric_points_default WHERE workspace_id = '\(extended.id)'") == 1)
            #expect(try await Self.scalar(api, "SELECT count(*)::int AS n FROM metric_points WHERE workspace_id = '\(extended.id)'") == 2)
            #expect(try await Self.scalar(api, "SELECT count(*)::int AS n FROM metric_points WHERE workspace_id = '\(standard.id)'") == 1)
            #expect(try await Self.scalar(api, """
                SELECT count(*)::int AS n FROM pg_constraint WHERE conname = 'metric_points_horizon' AND convalidated
                """) == 1, "validated, so new daily partitions are created without scanning the DEFAULT partition")

            // A backfill of a day past the standard class's 400 days creates no partition and
            // lands in the DEFAULT one; a recent day still gets its own partition.
            let backfill = now.addingTimeInterval(-420 * Self.day)
            try await ingest(extended, [Self.point(backfill), Self.point(now.addingTimeInterval(-2 * Self.day))])
            #expect(try await Self.scalar(api, "SELECT count(*)::int AS n FROM pg_class WHERE relname = '\(Self.partitionName(backfill))'") == 0)
            #expect(try await Self.scalar(api, "SELECT count(*)::int AS n FROM metric_points_default WHERE workspace_id = '\(extended.id)'") == 2)
            #expect(try await Self.scalar(api, "SELECT count(*)::int AS n FROM metric_points_default WHERE workspace_id <> '\(extended.id)'") == 0)
            _ = try await api.workerServices.housekeeping.maintainPartitions()

            // 600 days on, the 450- and 420-day-old points are past the extended workspace's
            // 1,000 days and go row by row; its two recent points are now past 400 days, so their
            // partitions are dropped and they move to the DEFAULT partition in turn.
            api.clock.advance(by: 600 * Self.day)
            let later = try await HousekeepingService(database: api.workerServices.environment.database, clock: WallClock(now: { api.clock.now }),
                                                      logger: MigratedDatabase.logger).cleanup()
            #expect(later.removed[extendedID]?["metric_points"] == 2, "\(later.removed)")
            let standardID = try #require(UUID(uuidString: standard.id))
            #expect(later.removed[standardID]?["metric_points"] == 1, "the standard workspace's point went with its partition")
            #expect(try await Self.scalar(api, "SELECT count(*)::int AS n FROM metric_points_default WHERE workspace_id = '\(extended.id)'") == 2)
            #expect(try await Self.scalar(api, "SELECT count(*)::int AS n FROM metric_points WHERE workspace_id = '\(standard.id)'") == 0)
        }
    }
}
