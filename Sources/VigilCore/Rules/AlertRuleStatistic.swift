import Foundation

/// What an alert rule measures over its window, computed from the merged rollup sketch of the
/// selected series (never raw points).
public enum AlertRuleStatistic: String, Sendable, CaseIterable, Codable, Equatable {
    case count, rate, sum, mean, min, max
    case p50, p75, p90, p95, p99
    case p999 = "p99.9"

    /// The quantile a percentile statistic reads (nil for the others).
    public var quantile: Double? {
        switch self {
        case .p50: 0.5
        case .p75: 0.75
        case .p90: 0.9
        case .p95: 0.95
        case .p99: 0.99
        case .p999: 0.999
        default: nil
        }
    }

    /// Whether a ratio of two selectors makes sense for it: shares of events (5xx / all) are
    /// ratios of counts, sums or rates; a ratio of two percentiles is not an error rate.
    public var allowsRatio: Bool { self == .count || self == .sum || self == .rate }

    /// The statistic's value for `sketch` (the points of one group over the window), or nil when
    /// there are no points. `rate` is per second: points per second, or for counters (whose
    /// points are increments) the sum per second.
    public func value(of sketch: QuantileSketch, kind: MetricKind, windowSeconds: Double) -> Double? {
        guard !sketch.isEmpty else { return nil }
        switch self {
        case .count: return Double(sketch.count)
        case .rate: return (kind == .counter ? sketch.sum : Double(sketch.count)) / windowSeconds
        case .sum: return sketch.sum
        case .mean: return sketch.sum / Double(sketch.count)
        case .min: return sketch.min
        case .max: return sketch.max
        default: return quantile.flatMap(sketch.quantile)
        }
    }
}

/// How a rule compares its value with the threshold.
public enum AlertRuleComparison: String, Sendable, CaseIterable, Codable, Equatable {
    case greater = ">"
    case greaterOrEqual = ">="
    case less = "<"
    case lessOrEqual = "<="
    case equal = "=="
    case notEqual = "!="

    public func holds(_ value: Double, _ threshold: Double) -> Bool {
        switch self {
        case .greater: value > threshold
        case .greaterOrEqual: value >= threshold
        case .less: value < threshold
        case .lessOrEqual: value <= threshold
        case .equal: value == threshold
        case .notEqual: value != threshold
        }
    }
}

/// What a rule does when its window holds no points at all.
public enum AlertRuleNoData: String, Sendable, CaseIterable, Codable, Equatable {
    /// Absence is not a problem: the rule reports `no_data` and resolves what it had raised.
    case ok
    /// Absence is the problem (a heartbeat metric that stopped): it fires after `for` like a breach.
    case alerting
}
