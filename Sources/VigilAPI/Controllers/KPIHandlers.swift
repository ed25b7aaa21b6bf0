import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func putKpi(_ input: Operations.PutKpi.Input) async throws -> Operations.PutKpi.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let definition = try Self.convert(body, to: KPIDefinition.self, adding: ["key": input.path.key], field: "kpi")
            let (saved, created) = try await services.kpis.define(definition, in: caller.workspace)
            let payload = try Self.response(saved, as: Components.Schemas.KPIDefinition.self)
            return created ? .created(.init(body: .json(payload))) : .ok(.init(body: .json(payload)))
        }
    }

    func listKpis(_ input: Operations.ListKpis.Input) async throws -> Operations.ListKpis.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let kind = KPIPeriod(rawValue: input.query.period?.rawValue ?? "day") ?? .day
            return .ok(.init(body: .json(try await kpiOverview(caller.workspace, kind))))
        }
    }

    func kpiOverview(_ workspace: Workspace, _ kind: KPIPeriod) async throws -> Components.Schemas.KPIOverviewList {
        .init(period: kind, rows: try await services.kpis.overview(in: workspace, period: kind))
    }

    func getKpi(_ input: Operations.GetKpi.Input) async throws -> Operations.GetKpi.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let q = input.query
            let kind = KPIPeriod(rawValue: q.period?.rawValue ?? "day") ?? .day
            let calendar = PeriodCalendar(identifier: caller.workspace.settings.timeZone) ?? PeriodCalendar(timeZone: TimeZone(identifier: "UTC")!)
            let from = try Self.day(q.from, field: "from").map(calendar.startOfDay)
            let to = try Self.day(q.to, field: "to").map(calendar.startOfDay)
            let series = try await services.kpis.series(input.path.key, in: caller.workspace, period: kind, from: from, to: to, groupBy: q.groupBy)
            return .ok(.init(body: .json(.init(series, period: kind))))
        }
    }

    func recordKpiEvents(_ input: Operations.RecordKpiEvents.Input) async throws -> Operations.RecordKpiEvents.Output {
        try await withCaller(input.path.workspace, role: .ingest) { caller, _ in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let now = Date()
            let events = body.events.map { KPIEvent($0, key: input.path.key, now: now) }
            // The fingerprint is the body as sent (not the events, whose missing timestamps
            // default to now), under the KPI's key.
            let answer = try await IdempotencySupport.perform(
                .recordKPIEvents, rawKey: input.headers.idempotencyKey, workspaceID: caller.workspace.id, services: services,
                fingerprint: { try RequestFingerprint.of(.recordKPIEvents, target: input.path.key, value: body) },
                respond: { try IdempotencySupport.answer(Components.Schemas.KPIEventsAccepted(accepted: $0), status: 202) }
            ) { hook in
                try await services.kpis.record(events, key: input.path.key, in: caller.workspace, idempotency: hook)
            }
            return .accepted(.init(body: .json(try IdempotencySupport.body(Components.Schemas.KPIEventsAccepted.self, of: answer))))
        }
    }

    func getBusinessSummary(_ input: Operations.GetBusinessSummary.Input) async throws -> Operations.GetBusinessSummary.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            .ok(.init(body: .json(try await kpiOverview(caller.workspace, .day))))
        }
    }
}
