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
    /// Per metric and window: every series' sketch, read once per pass for all the rules on it.
    private var windows: [WindowKey: [Int64: QuantileSketch]] = [:]

    struct WindowKey: Hashable {
        var metric: String
        var window: Range<Date>
    }

    /// Series × minutes up to which a metric's whole window is read once and shared by its
    /// rules; a larger metric is read rule by rule, only the series each selects.
    static let sharedReadLimit = 500_000

    /// The selected series' groups: series id → (group key, labels).
    struct Selected {
        var metric: String
        var kind: MetricKind
        var groupOf: [Int64: (key: String, labels: [String: String])]
    }

    /// nil when the metric was never ingested (no data).
    func select(metric: String, matchers: [LabelMatcher], groupBy: [String], on connection: Transaction) async throws -> Selected? {
        if kinds[metric] == nil { kinds[metric] = try await reads.kind(of: metric, on: connection) }
        guard let kind = kinds[metric] ?? nil else { return nil }
        if seriesByMetric[metric] == nil { seriesByMetric[metric] = try await reads.series(named: metric, filters: [:], on: connection) }
        // No matcher and no grouping: the metric's total series holds every point.
        if matchers.isEmpty && groupBy.isEmpty {
            return Selected(metric: metric, kind: kind, groupOf: [SeriesKey.totalSeriesID(name: metric): ("", [:])])
        }
        var groupOf: [Int64: (key: String, labels: [String: String])] = [:]
        for series in seriesByMetric[metric]! where AlertRuleEvaluation.selects(matchers, series.tags) {
            let labels = AlertRuleEvaluation.groupLabels(series.tags, groupBy: groupBy)
            groupOf[series.id] = (AlertRuleGroupValue.key(of: labels), labels)
        }
        return Selected(metric: metric, kind: kind, groupOf: groupOf)
    }

    /// Each group's sketch merged over `window` (read as `plan`).
    func merged(_ selected: Selected, plan: RollupPlan, window: Range<Date>, on connection: Transaction) async throws
        -> [String: (labels: [String: String], sketch: QuantileSketch)] {
        let perSeries = try await sketches(for: selected, plan: plan, window: window, on: connection)
        var groups: [String: (labels: [String: String], sketch: QuantileSketch)] = [:]
        for (id, group) in selected.groupOf {
            guard let sketch = perSeries[id] else { continue }
            groups[group.key, default: (group.labels, QuantileSketch())].sketch.merge(sketch)
        }
        return groups
    }

    /// Each selected series' sketch over the window: from the metric's shared read when it is
    /// small enough, else read for this selection alone.
    private func sketches(for selected: Selected, plan: RollupPlan, window: Range<Date>, on connection: Transaction) async throws -> [Int64: QuantileSketch] {
        let minutes = max(1, Int(window.upperBound.timeIntervalSince(window.lowerBound) / 60))
        let all = seriesByMetric[selected.metric] ?? []
        var ids = Array(selected.groupOf.keys)
        let key = WindowKey(metric: selected.metric, window: window)
        if let shared = windows[key] { return shared }
        let cost = (all.count + 1).multipliedReportingOverflow(by: minutes)
        let shared = !cost.overflow && cost.partialValue <= Self.sharedReadLimit
        if shared { ids = all.map(\.id) + [SeriesKey.totalSeriesID(name: selected.metric)] }
        var sketches: [Int64: QuantileSketch] = [:]
        for row in try await reads.rollups(seriesIDs: ids, plan: plan, on: connection) {
            sketches[row.seriesID, default: QuantileSketch()].merge(row.sketch)
        }
        if shared { windows[key] = sketches }
        return sketches
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
