import Foundation
import VigilCore
import VigilServices

/// KPI request bodies to core events, and overviews and series to response bodies. Values go
/// out in display units (`displayScale`: a ratio shown as a percentage).

extension KPIEvent {
    /// An event of the batch posted to `key`; a missing value counts one, a missing time is `now`.
    init(_ e: Components.Schemas.KPIEventInput, key: String, now: Date) {
        self.init(kpiKey: key, stream: e.stream, value: e.value ?? 1, timestamp: e.timestamp ?? now,
                  dimensions: e.dimensions?.additionalProperties ?? [:])
    }
}

extension Components.Schemas.KPIOverviewList {
    init(period: KPIPeriod, rows: [(VigilCore.KPIDefinition, VigilCore.KPIOverview)]) {
        self.init(period: period.rawValue, items: rows.map { definition, o in
            .init(key: o.key, name: o.name, unit: o.unit, value: o.value.map { $0 * definition.displayScale },
                  previousValue: o.trend.previous.map { $0 * definition.displayScale }, target: o.target,
                  status: .init(rawValue: o.status.rawValue) ?? .noData, changePercent: o.trend.percentChange,
                  trend: o.trend.arrow.map { "\($0)" }, assessment: o.assessment.map { "\($0)" })
        })
    }
}

extension Components.Schemas.KPISeries {
    init(_ series: VigilServices.KPISeries, period: KPIPeriod) {
        let scale = series.definition.displayScale
        self.init(
            key: series.definition.key, period: period.rawValue,
            points: series.points.map { .init(label: $0.period.label, start: $0.period.start, end: $0.period.end, value: $0.value.map { $0 * scale },
                                              count: $0.count) },
            groupBy: series.groupBy,
            breakdown: series.breakdown.map { .init(dimensionValue: $0.dimensionValue, value: $0.value.map { $0 * scale }, count: $0.count) })
    }
}
