import Foundation
import VigilCore
import VigilServices

/// Metric request bodies to core values and query results to response bodies.

extension RawMetricPoint {
    /// A point as the generated decoder read it; validation is the service's (the same rules
    /// as for points from `MetricBatchJSON`).
    init(_ p: Components.Schemas.MetricPointInput) {
        self.init(name: p.name, kind: p.kind.rawValue, value: p.value, timestamp: p.timestamp, tags: p.tags?.additionalProperties)
    }
}

extension Components.Schemas.Stats {
    init(_ stats: MetricStats) {
        self.init(count: stats.count, sum: stats.sum, min: stats.min, max: stats.max, mean: stats.mean,
                  p50: stats.p50, p95: stats.p95, p99: stats.p99)
    }
}

extension MetricStats {
    /// The value of one named statistic (the `stat` parameter); unknown names read p95, the default.
    func statistic(_ name: String) -> Double? {
        switch name {
        case "count": Double(count)
        case "sum": sum
        case "min": min
        case "max": max
        case "mean": mean
        case "p50": p50
        case "p99": p99
        default: p95
        }
    }
}

extension Components.Schemas.MetricStatsResponse {
    init(_ r: MetricStatsResult) {
        self.init(value1: .init(r.overall),
                  value2: .init(name: r.name, kind: .init(rawValue: r.kind.rawValue) ?? .gauge, windowMinutes: r.windowMinutes,
                                groups: .init(additionalProperties: r.groups.mapValues(Components.Schemas.Stats.init))))
    }
}

extension Components.Schemas.MetricSeriesResponse {
    /// Each bucket reduced to the one statistic the caller asked for.
    init(_ r: MetricSeriesResult, stat: String) {
        func points(_ buckets: [MetricSeriesBucket]) -> [Components.Schemas.SeriesPoint] {
            buckets.map { .init(start: $0.start, count: $0.stats.count, value: $0.stats.statistic(stat)) }
        }
        self.init(name: r.name, kind: .init(rawValue: r.kind.rawValue) ?? .gauge, windowMinutes: r.windowMinutes,
                  stepMinutes: r.stepMinutes, stat: stat, points: points(r.buckets),
                  groups: .init(additionalProperties: r.groups.mapValues(points)))
    }
}

extension Components.Schemas.MetricName {
    init(_ name: StoredMetricName) {
        self.init(name: name.name, kind: .init(rawValue: name.kind.rawValue) ?? .gauge, firstSeen: name.firstSeen, lastSeen: name.lastSeen)
    }
}
