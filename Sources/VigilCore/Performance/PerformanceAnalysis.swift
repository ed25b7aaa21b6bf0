import Foundation

/// Latency percentiles of one metric and group over a window.
public struct LatencyProfile: Sendable, Equatable, Codable {
    public var samples: Int
    public var p50: Double?
    public var p95: Double?
    public var p99: Double?

    public init(samples: Int, p50: Double?, p95: Double?, p99: Double?) {
        self.samples = samples
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
    }

    public init(_ sketch: QuantileSketch) {
        self.init(samples: sketch.count, p50: sketch.quantile(0.5), p95: sketch.quantile(0.95), p99: sketch.quantile(0.99))
    }
}

/// How the recent window compares with the baseline.
public enum PerformanceVerdict: String, Sendable, Codable {
    case regression, improvement, stable
    /// Too few samples on either side to say.
    case insufficientData = "insufficient_data"
}

/// One metric and group judged: the reference system's 20 % rule on p95 (configurable),
/// with enough samples on both sides that a handful of slow requests is not a regression.
public struct PerformanceComparison: Sendable, Equatable {
    public var metric: String
    public var group: String
    public var baseline: LatencyProfile
    public var current: LatencyProfile
    public var verdict: PerformanceVerdict
    /// (current p95 − baseline p95) / baseline p95, in percent.
    public var changePercent: Double?
}

public enum PerformanceAnalysis {
    public static let defaultThresholdPercent = 20.0
    /// Samples each side needs for a verdict.
    public static let minimumSamples = 20
    /// The baseline's span: the previous 7 days.
    public static let baselineDays = 7
    /// The recent window compared with it.
    public static let recentMinutes = 30

    public static func compare(metric: String, group: String, baseline: LatencyProfile, current: LatencyProfile,
                               thresholdPercent: Double = defaultThresholdPercent) -> PerformanceComparison {
        guard baseline.samples >= minimumSamples, current.samples >= minimumSamples, let before = baseline.p95, let now = current.p95, before > 0 else {
            return PerformanceComparison(metric: metric, group: group, baseline: baseline, current: current, verdict: .insufficientData, changePercent: nil)
        }
        let change = (now - before) / before * 100
        let verdict: PerformanceVerdict = change >= thresholdPercent ? .regression : change <= -thresholdPercent ? .improvement : .stable
        return PerformanceComparison(metric: metric, group: group, baseline: baseline, current: current, verdict: verdict, changePercent: change)
    }

    /// Least-squares slope of daily values (index = day), in value units per day; nil with
    /// fewer than three days of data.
    public static func slopePerDay(_ daily: [Double?]) -> Double? {
        let points = daily.enumerated().compactMap { index, value in value.map { (Double(index), $0) } }
        guard points.count >= 3 else { return nil }
        let n = Double(points.count)
        let meanX = points.reduce(0) { $0 + $1.0 } / n, meanY = points.reduce(0) { $0 + $1.1 } / n
        let covariance = points.reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
        let variance = points.reduce(0) { $0 + ($1.0 - meanX) * ($1.0 - meanX) }
        return variance == 0 ? nil : covariance / variance
    }

    /// A daily series' slope, and that slope as a percentage of the series' mean (nil when the
    /// slope is, or the mean is not positive).
    public static func trend(_ daily: [Double?]) -> (slopePerDay: Double?, percentPerDay: Double?) {
        let slope = slopePerDay(daily)
        let known = daily.compactMap { $0 }
        let mean = known.isEmpty ? 0 : known.reduce(0, +) / Double(known.count)
        return (slope, slope.flatMap { mean > 0 ? $0 / mean * 100 : nil })
    }

    /// Advice in the reference systems' `{level, message, action}` shape, worst first.
    public static func recommendations(_ comparisons: [PerformanceComparison], trends: [(metric: String, group: String, percentPerDay: Double)],
                                       thresholdPercent: Double = defaultThresholdPercent) -> [Recommendation] {
        var advice: [Recommendation] = []
        for c in comparisons.filter({ $0.verdict == .regression }).sorted(by: { ($0.changePercent ?? 0) > ($1.changePercent ?? 0) }) {
            let level: RecommendationLevel = (c.changePercent ?? 0) >= 2 * thresholdPercent ? .critical : .warning
            advice.append(Recommendation(level: level,
                message: "p95 of \(c.metric) for \(c.group) is \(Int((c.changePercent ?? 0).rounded()))% above its \(baselineDays)-day baseline "
                    + "(\(DashboardMath.format(c.current.p95 ?? 0)) vs \(DashboardMath.format(c.baseline.p95 ?? 0)))",
                action: "Check what changed for \(c.group): recent deploys, slow queries, dependencies"))
        }
        for trend in trends where trend.percentPerDay >= 5 {
            advice.append(Recommendation(level: .warning,
                message: "p95 of \(trend.metric) for \(trend.group) is rising \(Int(trend.percentPerDay.rounded()))% a day over the last \(baselineDays) days",
                action: "Investigate the slow growth before it becomes a regression (data growth, missing indexes, caches)"))
        }
        for c in comparisons where c.verdict == .improvement {
            advice.append(Recommendation(level: .info,
                message: "p95 of \(c.metric) for \(c.group) improved \(Int((-(c.changePercent ?? 0)).rounded()))% against its baseline",
                action: "Keep the change; the baseline follows within 6 hours"))
        }
        if advice.isEmpty {
            advice.append(Recommendation(level: .info, message: comparisons.isEmpty ? "No latency data to compare yet" : "Performance is stable",
                                         action: "Continue monitoring p95 latency"))
        }
        return advice
    }
}
