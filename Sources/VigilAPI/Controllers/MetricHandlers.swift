import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    /// The fallback transport of `MetricIngestPipeline` (`MetricIngestFastPath` takes these
    /// requests first): the body arrives decoded by the generated code.
    func ingestMetrics(_ input: Operations.IngestMetrics.Input) async throws -> Operations.IngestMetrics.Output {
        let accepted = try await MetricIngestPipeline(services: services, metrics: metrics)
            .ingest(workspace: input.path.workspace, request: try request, idempotencyKey: input.headers.idempotencyKey) {
            guard case .json(let batch) = input.body else { throw ServiceError.invalid(field: nil, message: "expected a JSON body") }
            return batch.points.map(RawMetricPoint.init)
        }
        return .ok(.init(body: .json(.init(accepted: accepted))))
    }

    func listMetrics(_ input: Operations.ListMetrics.Input) async throws -> Operations.ListMetrics.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let page = try await services.metricQueries.names(in: caller.workspace.id, limit: input.query.limit, cursor: input.query.cursor)
            return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.MetricName.init), nextCursor: page.nextCursor))))
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
            let selector = MetricSelector(name: input.path.name, filters: try tagFilters(input.query.tag, info), groupBy: input.query.groupBy)
            let result = try await services.metricQueries.stats(in: caller.workspace.id, selector, windowMinutes: input.query.window)
            return .ok(.init(body: .json(.init(result))))
        }
    }

    func getMetricSeries(_ input: Operations.GetMetricSeries.Input) async throws -> Operations.GetMetricSeries.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, info in
            let selector = MetricSelector(name: input.path.name, filters: try tagFilters(input.query.tag, info), groupBy: input.query.groupBy)
            let result = try await services.metricQueries.series(in: caller.workspace.id, selector, windowMinutes: input.query.window,
                                                                 stepMinutes: input.query.step)
            return .ok(.init(body: .json(.init(result, stat: (input.query.stat ?? .p95).rawValue))))
        }
    }

    func getDashboard(_ input: Operations.GetDashboard.Input) async throws -> Operations.GetDashboard.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            guard let dashboard = DashboardID(rawValue: input.path.dashboard.rawValue) else {
                throw ServiceError.notFound("no such dashboard")
            }
            let json = try await services.dashboards.render(dashboard, in: caller.workspace.id, window: input.query.window.map(String.init))
            // The core renders the dashboard's JSON; the generated type only carries it out.
            return .ok(.init(body: .json(try JSONDecoder().decode(Components.Schemas.Dashboard.self, from: json))))
        }
    }

    /// The `tag=<name>=<value>` entries merged over the older `tag.<name>=<value>` parameters.
    private func tagFilters(_ entries: [String]?, _ info: RequestInfo) throws -> [String: String] {
        do { return try TagFilterEntries.merge(entries ?? [], over: info.tagFilters) } catch { throw ServiceError(error) }
    }
}
