/// Good over total, from two counters or from one metric's status tag.
public enum SLOAvailabilityIndicator: Sendable, Equatable {
    /// `good` and `total` are counters (sums of increments) under the same tag filters.
    case counters(good: String, total: String, tags: [String: String])
    /// Every event of `metric` counts toward the total; it is good when its `tagKey` tag
    /// matches one of `goodValues`. A value ending in `*` matches by prefix (`2*` is any 2xx).
    /// Events are the counter's increments, or one per point for timings and gauges (see
    /// `DashboardMath.events(in:kind:)`).
    case statusTag(metric: String, tagKey: String, goodValues: [String], tags: [String: String])

    public static let maxGoodValues = 50

    public var tags: [String: String] {
        switch self {
        case .counters(_, _, let tags), .statusTag(_, _, _, let tags): tags
        }
    }

    /// Whether a status tag value is good (for `.statusTag`; false for `.counters`).
    public func isGood(statusValue: String) -> Bool {
        guard case .statusTag(_, _, let goodValues, _) = self else { return false }
        return goodValues.contains { pattern in
            pattern.hasSuffix("*") ? statusValue.hasPrefix(pattern.dropLast()) : statusValue == pattern
        }
    }

    func validate() -> ValidationFailure? {
        switch self {
        case .counters(let good, let total, let tags):
            if let problem = MetricSelectorRules.validate(name: good, filters: tags, groupBy: nil) {
                return ValidationFailure(field: problem.field == "name" ? "good_metric" : problem.field, message: problem.message)
            }
            if let problem = MetricSelectorRules.validate(name: total, filters: [:], groupBy: nil) {
                return ValidationFailure(field: "total_metric", message: problem.message)
            }
            if good == total {
                return ValidationFailure(field: "total_metric", message: "the good and total metrics must differ (or use status_tag)")
            }
        case .statusTag(let metric, let tagKey, let goodValues, let tags):
            if let problem = MetricSelectorRules.validate(name: metric, filters: tags, groupBy: tagKey) {
                let field = problem.field == "name" ? "metric" : problem.field == "group_by" ? "status_tag" : problem.field
                return ValidationFailure(field: field, message: problem.message)
            }
            if tags[tagKey] != nil {
                return ValidationFailure(field: "status_tag", message: "the status tag cannot also be a tag filter")
            }
            if goodValues.isEmpty || goodValues.count > Self.maxGoodValues {
                return ValidationFailure(field: "good_values", message: "good_values needs 1-\(Self.maxGoodValues) values")
            }
            let limit = IngestLimits.default.maxTagValueLength
            if goodValues.contains(where: { $0.isEmpty || $0 == "*" || $0.unicodeScalars.count > limit || $0.unicodeScalars.contains("\u{0}") }) {
                return ValidationFailure(field: "good_values",
                                         message: "good values are 1-\(limit) characters without NUL, and not a lone '*'")
            }
        }
        return nil
    }
}
