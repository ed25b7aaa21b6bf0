import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    /// Between a generated body and a core Codable type with the same JSON shape: the core
    /// decoder does the validation the schema cannot (aggregation streams, SLO kinds).
    static func convert<T: Decodable>(_ value: some Encodable, to type: T.Type, adding extra: [String: String] = [:], field: String) throws -> T {
        var object = (try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any]) ?? [:]
        for (key, value) in extra { object[key] = value }
        do {
            return try JSONDecoder().decode(type, from: JSONSerialization.data(withJSONObject: object))
        } catch let error as DecodingError {
            throw ServiceError.invalid(field: field, message: "invalid \(field): \(Self.describe(error))")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c):
            let path = c.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? c.debugDescription : "\(path): \(c.debugDescription)"
        @unknown default: return "unreadable"
        }
    }

    static func response<T: Decodable>(_ value: some Encodable, as type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: JSONEncoder().encode(value))
    }

    static func day(_ text: String?, field: String) throws -> LocalDate? {
        guard let text else { return nil }
        guard let day = LocalDate(parsing: text) else { throw ServiceError.invalid(field: field, message: "\(field) must be a date, YYYY-MM-DD") }
        return day
    }

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
        let rows = try await services.kpis.overview(in: workspace, period: kind)
        return .init(period: kind.rawValue, items: rows.map { definition, o in
            .init(key: o.key, name: o.name, unit: o.unit, value: o.value.map { $0 * definition.displayScale },
                  previousValue: o.trend.previous.map { $0 * definition.displayScale }, target: o.target,
                  status: .init(rawValue: o.status.rawValue) ?? .noData, changePercent: o.trend.percentChange,
                  trend: o.trend.arrow.map { "\($0)" }, assessment: o.assessment.map { "\($0)" })
        })
    }

    func getKpi(_ input: Operations.GetKpi.Input) async throws -> Operations.GetKpi.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let q = input.query
            let kind = KPIPeriod(rawValue: q.period?.rawValue ?? "day") ?? .day
            let calendar = PeriodCalendar(identifier: caller.workspace.settings.timeZone) ?? PeriodCalendar(timeZone: TimeZone(identifier: "UTC")!)
            let from = try Self.day(q.from, field: "from").map(calendar.startOfDay)
            let to = try Self.day(q.to, field: "to").map(calendar.startOfDay)
            let series = try await services.kpis.series(input.path.key, in: caller.workspace, period: kind, from: from, to: to, groupBy: q.groupBy)
            let scale = series.definition.displayScale
            return .ok(.init(body: .json(.init(
                key: series.definition.key, period: kind.rawValue,
                points: series.points.map { .init(label: $0.period.label, start: $0.period.start, end: $0.period.end, value: $0.value.map { $0 * scale },
                                                  count: $0.count) },
                groupBy: series.groupBy,
                breakdown: series.breakdown.map { .init(dimensionValue: $0.dimensionValue, value: $0.value.map { $0 * scale }, count: $0.count) }))))
        }
    }

    func recordKpiEvents(_ input: Operations.RecordKpiEvents.Input) async throws -> Operations.RecordKpiEvents.Output {
        try await withCaller(input.path.workspace, role: .ingest) { caller, _ in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let now = Date()
            let events = body.events.map {
                KPIEvent(kpiKey: input.path.key, stream: $0.stream, value: $0.value ?? 1, timestamp: $0.timestamp ?? now,
                         dimensions: $0.dimensions?.additionalProperties ?? [:])
            }
            let accepted = try await services.kpis.record(events, key: input.path.key, in: caller.workspace)
            return .accepted(.init(body: .json(.init(accepted: accepted))))
        }
    }

    func getBusinessSummary(_ input: Operations.GetBusinessSummary.Input) async throws -> Operations.GetBusinessSummary.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            .ok(.init(body: .json(try await kpiOverview(caller.workspace, .day))))
        }
    }
}
