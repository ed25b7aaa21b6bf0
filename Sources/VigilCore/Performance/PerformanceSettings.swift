import Foundation

/// How a workspace's latency is analyzed (`settings.performance`): the change in p95 against the
/// 7-day baseline that counts as a regression or an improvement, and the tag whose values are
/// the groups (the reference systems analyze by endpoint).
public struct PerformanceSettings: Sendable, Equatable, Codable {
    public var regressionThresholdPercent: Double = PerformanceAnalysis.defaultThresholdPercent
    public var groupTag: String = "endpoint"

    public static let thresholdRange: ClosedRange<Double> = 1...500

    public init() {}

    enum CodingKeys: String, CodingKey {
        case regressionThresholdPercent = "regression_threshold_percent"
        case groupTag = "group_tag"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        regressionThresholdPercent = try c.decodeIfPresent(Double.self, forKey: .regressionThresholdPercent) ?? PerformanceAnalysis.defaultThresholdPercent
        groupTag = try c.decodeIfPresent(String.self, forKey: .groupTag) ?? "endpoint"
    }

    public func validate() -> ValidationFailure? {
        if !regressionThresholdPercent.isFinite || !Self.thresholdRange.contains(regressionThresholdPercent) {
            return ValidationFailure(field: "settings.performance.regression_threshold_percent",
                                     message: "regression_threshold_percent must be between 1 and 500")
        }
        if MetricNameRule.check(groupTag, maxLength: 200, what: "tag") != nil {
            return ValidationFailure(field: "settings.performance.group_tag", message: "group_tag must be a tag name (1-200 characters of A-Z a-z 0-9 _ . : -)")
        }
        return nil
    }
}
