import Foundation
import VigilCore
import VigilRepositories

/// Reads what a rule selects from the rollups: the series of a metric its matchers select,
/// grouped by its `group_by` tags, merged over a window (live evaluation) or per minute
/// (backtest). Series lists are kept per metric for one evaluation pass, so many rules over one
/// metric read its series once.
final class AlertRuleSelection: @unchecked Sendable {
    private let reads = MetricReadRepository()
    private var seriesByMetric: [String: [StoredSeries]] = [:]
    private var kinds: [String: MetricKind?] = [:]

    /// The selected series' groups: series id → (group key, labels).
    struct Selected {
        var kind: MetricKind
        var groupOf: [Int64: (key: String, labels: [String: String])]
    }

    /// nil when the metric was never ingested (no data).
    func select(metric: String, matchers: [LabelMatcher], groupBy: [String], on connection: Transaction) async throws -> Selected? {
        if kinds[metric] == nil { kinds[metric] = try await reads.kind(of: metric, on: connection) }
        guard let kind = kinds[metric] ?? nil else { return nil }
        // No matcher and no grouping: the metric's total series holds every point.
        if matchers.isEmpty && groupBy.isEmpty {
            return Selected(kind: kind, groupOf: [SeriesKey.totalSeriesID(name: metric): ("", [:])])
        }
        if seriesByMetric[metric] == nil { seriesByMetric[metric] = try await reads.series(named: metric, filters: [:], on: connection) }
        var groupOf: [Int64: (key: String, labels: [String: String])] = [:]
        for series in seriesByMetric[metric]! where AlertRuleEvaluation.selects(matchers, series.tags) {
            let labels = AlertRuleEvaluation.groupLabels(series.tags, groupBy: groupBy)
            groupOf[series.id] = (AlertRuleGroupValue.key(of: labels), labels)
        }
        return Selected(kind: kind, groupOf: groupOf)
    }

    /// Each group's sketch merged over `plan`.
    func merged(_ selected: Selected, plan: RollupPlan, on connection: Transaction) async throws
        -> [String: (labels: [String: String], sketch: QuantileSketch)] {
        var groups: [String: (labels: [String: String], sketch: QuantileSketch)] = [:]
        for row in try await reads.rollups(seriesIDs: Array(selected.groupOf.keys), plan: plan, on: connection) {
            guard let group = selected.groupOf[row.seriesID] else { continue }
            groups[group.key, default: (group.labels, QuantileSketch())].sketch.merge(row.sketch)
        }
        return groups
    }

    /// Each group's sketch per minute bucket in `range` (minute rows only).
    func perMinute(_ selected: Selected, range: Range<Date>, on connection: Transaction) async throws -> AlertRuleBacktest.MinuteGroups {
        var minutes: AlertRuleBacktest.MinuteGroups = [:]
        let plan = RollupPlan.covering(start: range.lowerBound, end: range.upperBound, useHours: false)
        for row in try await reads.rollups(seriesIDs: Array(selected.groupOf.keys), plan: plan, on: connection) {
            guard let group = selected.groupOf[row.seriesID] else { continue }
            minutes[row.bucket, default: [:]][group.key, default: (group.labels, QuantileSketch())].sketch.merge(row.sketch)
        }
        return minutes
    }

    /// Distinct groups a selection can produce.
    static func groupCount(_ selected: Selected?) -> Int {
        Set(selected?.groupOf.values.map(\.key) ?? []).count
    }
}
