import Foundation
import VigilCore
import VigilRepositories

/// The performance and security summaries the Django systems exposed
/// (`GET …/metrics/performance`, `…/metrics/security`).
public struct PerformanceSummaryService: Sendable {
    let database: Database
    let clock: WallClock
    let queries: MetricQueryService
    let digests = DigestRepository()
    /// The request-duration metric the reference systems record, grouped by its endpoint tag.
    public static let requestMetric = "http.request.duration"

    public init(database: Database, clock: WallClock, queries: MetricQueryService) {
        self.database = database
        self.clock = clock
        self.queries = queries
    }

    /// The five endpoints with the highest p95 over the last hour (none when the metric is absent).
    public func slowestEndpoints(in workspace: Workspace) async throws -> [(endpoint: String, count: Int, p95: Double?)] {
        let result: MetricStatsResult
        do {
            result = try await queries.stats(in: workspace.id, MetricSelector(name: Self.requestMetric, filters: [:], groupBy: "endpoint"),
                                             windowMinutes: 60)
        } catch ServiceError.notFound {
            return []
        }
        var rows: [(endpoint: String, count: Int, p95: Double?)] = []
        for (endpoint, stats) in result.groups { rows.append((endpoint, stats.count, stats.p95)) }
        rows.sort { lhs, rhs in
            let a = lhs.p95 ?? -1, b = rhs.p95 ?? -1
            return a != b ? a > b : lhs.endpoint < rhs.endpoint
        }
        return Array(rows.prefix(5))
    }

    public func security(in workspace: Workspace) async throws -> (failed: Int, forbidden: Int, openCritical: Int) {
        let now = clock.now()
        return try await database.inWorkspace(workspace.id) { connection in
            let counts = try await ComplianceFactsRepository().auditActionCounts(since: now.addingTimeInterval(-86_400), on: connection)
            let critical = try await AlertRepository().list(AlertFilter(state: .triggered, severity: .critical), after: nil, limit: 500, on: connection).count
                + (try await AlertRepository().list(AlertFilter(state: .acknowledged, severity: .critical), after: nil, limit: 500, on: connection).count)
            return (counts.filter { $0.action == "auth.failed" }.reduce(0) { $0 + $1.count },
                    counts.filter { $0.action == "auth.forbidden" }.reduce(0) { $0 + $1.count }, critical)
        }
    }
}
