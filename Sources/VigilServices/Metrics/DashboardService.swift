import Foundation
import VigilCore
import VigilRepositories

/// `GET …/dashboards/{dashboard}`: fetches each of the dashboard's queries as windowed stats
/// (the same path as `…/stats`) and hands them to the dashboard's pure computation. A metric
/// never sent yet is "no data", not an error.
public struct DashboardService: Sendable {
    let queries: MetricQueryService
    let clock: WallClock

    public init(queries: MetricQueryService, clock: WallClock) {
        self.queries = queries
        self.clock = clock
    }

    /// The dashboard as JSON (its result types carry their own snake_case keys).
    public func render(_ dashboard: DashboardID, in workspaceID: UUID, window rawWindow: String?) async throws -> Data {
        let window: DashboardWindow
        do {
            window = try DashboardWindow.parse(rawWindow, for: dashboard)
        } catch {
            throw ServiceError.invalid(field: error.field, message: error.message)
        }
        var stats: [String: DashboardQueryStats] = [:]
        for query in dashboard.queries {
            let selector = MetricSelector(name: query.metric, filters: query.tagFilters, groupBy: query.groupBy)
            do {
                let result = try await queries.stats(in: workspaceID, selector, windowMinutes: query.fetchWindowMinutes(for: window))
                stats[query.id] = DashboardQueryStats(overall: result.overall, groups: result.groups)
            } catch ServiceError.notFound {
                continue
            }
        }
        let result = dashboard.compute(DashboardInputs(window: window, generatedAt: clock.now(), stats: stats))
        return try JSONEncoder().encode(result)
    }
}
