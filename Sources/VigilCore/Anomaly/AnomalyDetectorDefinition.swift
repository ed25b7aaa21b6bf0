import Foundation

/// A metric a workspace marks for anomaly detection (`…/anomaly-detectors`): the statistic of
/// the selected series per 15-minute bucket, judged by the enabled detectors against a trailing
/// or seasonal baseline every 15 minutes.
public struct AnomalyDetectorDefinition: Sendable, Equatable, Codable {
    public var name: String
    public var enabled: Bool
    public var metric: String
    public var matchers: [LabelMatcher]
    public var statistic: AlertRuleStatistic
    public var detectors: [AnomalyDetectorKind]
    public var sensitivity: AnomalySensitivity
    public var baseline: AnomalyBaselineKind
    /// Findings of this severity or worse are raised as alerts (high by default).
    public var alertSeverity: AlertSeverity

    public static let bucketSeconds = 900

    public init(name: String, enabled: Bool = true, metric: String, matchers: [LabelMatcher] = [], statistic: AlertRuleStatistic,
                detectors: [AnomalyDetectorKind] = AnomalyDetectorKind.allCases, sensitivity: AnomalySensitivity = .medium,
                baseline: AnomalyBaselineKind = .seasonal, alertSeverity: AlertSeverity = .high) {
        self.name = name
        self.enabled = enabled
        self.metric = metric
        self.matchers = matchers
        self.statistic = statistic
        self.detectors = detectors
        self.sensitivity = sensitivity
        self.baseline = baseline
        self.alertSeverity = alertSeverity
    }

    public func validate() -> ValidationFailure? {
        if let problem = DisplayName.problem(name) { return problem }
        if let problem = MetricNameRule.check(metric, maxLength: AlertRuleDefinition.maxMetricNameLength, what: "metric") {
            return ValidationFailure(field: "metric", message: problem.message)
        }
        if matchers.count > AlertRuleDefinition.maxMatchers {
            return ValidationFailure(field: "matchers", message: "at most \(AlertRuleDefinition.maxMatchers) matchers")
        }
        if detectors.isEmpty || Set(detectors).count != detectors.count {
            return ValidationFailure(field: "detectors", message: "detectors lists one to three distinct detectors (zscore, iqr, spike)")
        }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case name, enabled, metric, matchers, statistic, detectors, sensitivity, baseline
        case alertSeverity = "alert_severity"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name), enabled: try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true,
                  metric: try c.decode(String.self, forKey: .metric), matchers: try c.decodeIfPresent([LabelMatcher].self, forKey: .matchers) ?? [],
                  statistic: try c.decode(AlertRuleStatistic.self, forKey: .statistic),
                  detectors: try c.decodeIfPresent([AnomalyDetectorKind].self, forKey: .detectors) ?? AnomalyDetectorKind.allCases,
                  sensitivity: try c.decodeIfPresent(AnomalySensitivity.self, forKey: .sensitivity) ?? .medium,
                  baseline: try c.decodeIfPresent(AnomalyBaselineKind.self, forKey: .baseline) ?? .seasonal,
                  alertSeverity: try c.decodeIfPresent(AlertSeverity.self, forKey: .alertSeverity) ?? .high)
    }
}

/// Which buckets a scan computes and judges: the complete 15-minute buckets since the last
/// one it stored, at most the history the seasonal baseline needs (8 days) back.
public enum AnomalyScanPlan {
    public static let historyBuckets = 8 * 96

    public static func bucketStart(_ date: Date) -> Date {
        let seconds = Double(AnomalyDetectorDefinition.bucketSeconds)
        return Date(timeIntervalSince1970: (date.timeIntervalSince1970 / seconds).rounded(.down) * seconds)
    }

    /// The buckets to compute now: after `lastStored` (or from the history's start), up to the
    /// bucket before the current one (which is still filling).
    public static func newBuckets(lastStored: Date?, now: Date) -> [Date] {
        let current = bucketStart(now)
        let seconds = Double(AnomalyDetectorDefinition.bucketSeconds)
        let oldest = current.addingTimeInterval(-Double(historyBuckets) * seconds)
        var next = max(oldest, lastStored.map { $0.addingTimeInterval(seconds) } ?? oldest)
        var buckets: [Date] = []
        while next < current {
            buckets.append(next)
            next = next.addingTimeInterval(seconds)
        }
        return buckets
    }

    /// The history as the detectors read it: one slot per bucket from the oldest kept to
    /// `through`, nil where there was no data.
    public static func series(_ values: [Date: Double], through last: Date) -> (buckets: [Date], values: [Double?]) {
        let seconds = Double(AnomalyDetectorDefinition.bucketSeconds)
        let first = last.addingTimeInterval(-Double(historyBuckets - 1) * seconds)
        var buckets: [Date] = [], series: [Double?] = []
        var cursor = first
        while cursor <= last {
            buckets.append(cursor)
            series.append(values[cursor])
            cursor = cursor.addingTimeInterval(seconds)
        }
        return (buckets, series)
    }
}
