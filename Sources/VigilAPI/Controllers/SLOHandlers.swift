import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func createSlo(_ input: Operations.CreateSlo.Input) async throws -> Operations.CreateSlo.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let definition = try Self.convert(body, to: SLODefinition.self, field: "slo")
            return .created(.init(body: .json(try .init(try await services.slos.create(definition, in: caller.workspace)))))
        }
    }

    func listSlos(_ input: Operations.ListSlos.Input) async throws -> Operations.ListSlos.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            .ok(.init(body: .json(.init(items: try await services.slos.list(in: caller.workspace).map(Components.Schemas.Slo.init)))))
        }
    }

    func getSlo(_ input: Operations.GetSlo.Input) async throws -> Operations.GetSlo.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            .ok(.init(body: .json(try .init(try await services.slos.get(try Self.uuid(input.path.id), in: caller.workspace)))))
        }
    }

    func deleteSlo(_ input: Operations.DeleteSlo.Input) async throws -> Operations.DeleteSlo.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            try await services.slos.delete(try Self.uuid(input.path.id), in: caller.workspace)
            return .noContent(.init())
        }
    }

    func getSloReport(_ input: Operations.GetSloReport.Input) async throws -> Operations.GetSloReport.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let period = input.query.period?.rawValue ?? "week"
            let days = period == "day" ? 1 : period == "month" ? 31 : 7
            let (view, history) = try await services.slos.report(try Self.uuid(input.path.id), in: caller.workspace, days: days)
            return .ok(.init(body: .json(try .init(view, period: period, history: history))))
        }
    }

    func getPerformanceSummary(_ input: Operations.GetPerformanceSummary.Input) async throws -> Operations.GetPerformanceSummary.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let slos = try await services.slos.list(in: caller.workspace)
            let slowest = try await services.performance.slowestEndpoints(in: caller.workspace)
            return .ok(.init(body: .json(try .init(slos: slos, slowest: slowest))))
        }
    }

    func getSecuritySummary(_ input: Operations.GetSecuritySummary.Input) async throws -> Operations.GetSecuritySummary.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let reported = try await services.securityDashboard.totals(in: caller.workspace, since: Date().addingTimeInterval(-86_400))
            return .ok(.init(body: .json(.init(try await services.performance.security(in: caller.workspace), reported: reported))))
        }
    }
}
