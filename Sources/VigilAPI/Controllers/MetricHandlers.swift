import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func ingestMetrics(_ input: Operations.IngestMetrics.Input) async throws -> Operations.IngestMetrics.Output {
        try await withCaller(input.path.workspace, role: .ingest) { caller, _ in
            guard case .json(let batch) = input.body else { throw ServiceError.invalid(field: nil, message: "expected a JSON body") }
            let raw = batch.points.map {
                RawMetricPoint(name: $0.name, kind: $0.kind.rawValue, value: $0.value, timestamp: $0.timestamp,
                               tags: $0.tags?.additionalProperties)
            }
            let accepted = try await services.metricIngest.ingest(raw, into: caller.workspace)
            return .ok(.init(body: .json(.init(accepted: accepted))))
        }
    }

    func listMetrics(_ input: Operations.ListMetrics.Input) async throws -> Operations.ListMetrics.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let page = try await services.metricQueries.names(in: caller.workspace.id, limit: input.query.limit, cursor: input.query.cursor)
            let items = page.items.map {
                Components.Schemas.MetricName(name: $0.name, kind: .init(rawValue: $0.kind.rawValue) ?? .gauge,
                                              firstSeen: $0.firstSeen, lastSeen: $0.lastSeen)
            }
            return .ok(.init(body: .json(.init(items: items, nextCursor: page.nextCursor))))
        }
    }

    func exportMetrics(_ input: Operations.ExportMetrics.Input) async throws -> Operations.ExportMetrics.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let text = try await services.metricExport.export(workspaceID: caller.workspace.id)
            return .ok(.init(body: .plainText(HTTPBody(text))))
        }
    }

    func getMetricStats(_ input: Operations.GetMetricStats.Input) async throws -> Operations.GetMetricStats.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, info in
            let selector = MetricSelector(name: input.path.name, filters: info.tagFilters, groupBy: input.query.groupBy)
            let result = try await services.metricQueries.stats(in: caller.workspace.id, selector, windowMinutes: input.query.window)
            return .ok(.init(body: .json(.init(
                value1: .init(result.overall),
                value2: .init(name: result.name, kind: .init(rawValue: result.kind.rawValue) ?? .gauge, windowMinutes: result.windowMinutes,
                              groups: .init(additionalProperties: result.groups.mapValues(Components.Schemas.Stats.init)))))))
        }
    }

    func getMetricSeries(_ input: Operations.GetMetricSeries.Input) async throws -> Operations.GetMetricSeries.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, info in
            let selector = MetricSelector(name: input.path.name, filters: info.tagFilters, groupBy: input.query.groupBy)
            let stat = input.query.stat ?? .p95
            let result = try await services.metricQueries.series(in: caller.workspace.id, selector, windowMinutes: input.query.window,
                                                                 stepMinutes: input.query.step)
            func points(_ buckets: [MetricSeriesBucket]) -> [Components.Schemas.SeriesPoint] {
                buckets.map { .init(start: $0.start, count: $0.stats.count, value: Self.statistic(stat.rawValue, of: $0.stats)) }
            }
            return .ok(.init(body: .json(.init(
                name: result.name, kind: .init(rawValue: result.kind.rawValue) ?? .gauge, windowMinutes: result.windowMinutes,
                stepMinutes: result.stepMinutes, stat: stat.rawValue, points: points(result.buckets),
                groups: .init(additionalProperties: result.groups.mapValues(points))))))
        }
    }

    func getDashboard(_ input: Operations.GetDashboard.Input) async throws -> Operations.GetDashboard.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            guard let dashboard = DashboardID(rawValue: input.path.dashboard.rawValue) else {
                throw ServiceError.notFound("no such dashboard")
            }
            let json = try await services.dashboards.render(dashboard, in: caller.workspace.id, window: input.query.window)
            return .ok(.init(body: .json(try JSONDecoder().decode(Components.Schemas.Dashboard.self, from: json))))
        }
    }

    /// The value of one named statistic (the `stat` parameter).
    static func statistic(_ name: String, of stats: MetricStats) -> Double? {
        switch name {
        case "count": Double(stats.count)
        case "sum": stats.sum
        case "min": stats.min
        case "max": stats.max
        case "mean": stats.mean
        case "p50": stats.p50
        case "p99": stats.p99
        default: stats.p95
        }
    }
}

extension Components.Schemas.Stats {
    init(_ stats: MetricStats) {
        self.init(count: stats.count, sum: stats.sum, min: stats.min, max: stats.max, mean: stats.mean,
                  p50: stats.p50, p95: stats.p95, p99: stats.p99)
    }
}
