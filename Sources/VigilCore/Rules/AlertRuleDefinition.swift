import Foundation

/// The second selector of a ratio rule (errors / all): a metric (the rule's own when nil) and
/// its matchers, measured with the rule's statistic.
public struct AlertRuleDenominator: Sendable, Equatable, Codable {
    public var metric: String?
    public var matchers: [LabelMatcher]

    public init(metric: String? = nil, matchers: [LabelMatcher] = []) {
        self.metric = metric
        self.matchers = matchers
    }

    enum CodingKeys: String, CodingKey { case metric, matchers }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metric = try c.decodeIfPresent(String.self, forKey: .metric)
        matchers = try c.decodeIfPresent([LabelMatcher].self, forKey: .matchers) ?? []
    }
}

/// A metric alert rule (`…/alert-rules`): "the rate of `http.request.duration{status=~"5.."}`
/// over 5 minutes is above 0.1 for 5 minutes". Evaluated by the worker every minute from the
/// rollups, one alert per group (`group_by`) through the alert pipeline.
///
/// Stored as JSON with snake_case fields; durations are whole minutes because rollups are.
public struct AlertRuleDefinition: Sendable, Equatable, Codable {
    public var name: String
    public var description: String?
    public var enabled: Bool
    public var metric: String
    /// Which series of `metric` count: Alertmanager matcher semantics over the series' tags.
    public var matchers: [LabelMatcher]
    public var statistic: AlertRuleStatistic
    /// When set, the value is statistic(selector) / statistic(denominator), per group.
    public var denominator: AlertRuleDenominator?
    public var windowMinutes: Int
    public var comparison: AlertRuleComparison
    public var threshold: Double
    /// How long the condition must hold before the rule fires (0: at once).
    public var forMinutes: Int
    /// How long a firing rule stays firing after its condition clears (flap damping).
    public var keepFiringForMinutes: Int
    /// Tag names: one alert per distinct combination of their values.
    public var groupBy: [String]
    public var noData: AlertRuleNoData
    public var severity: AlertSeverity
    public var labels: [String: String]
    /// Templated with `{{ $value }}`, `{{ $threshold }}`, `{{ $labels.<tag> }}`, `{{ $rule }}`.
    public var annotations: [String: String]

    public static let maxMatchers = 64
    public static let minutesRange = 1...1_440
    public static let delayRange = 0...1_440
    public static let maxGroupBy = 10
    public static let maxLabels = 32
    public static let maxAnnotations = 16
    public static let maxAnnotationLength = 2_000
    public static let maxDescriptionLength = 2_000
    public static let maxMetricNameLength = 200
    /// Labels every rule alert carries; a rule may not set them itself.
    public static let reservedLabels: Set<String> = ["alertname", "rule_id"]

    public init(name: String, description: String? = nil, enabled: Bool = true, metric: String, matchers: [LabelMatcher] = [],
                statistic: AlertRuleStatistic, denominator: AlertRuleDenominator? = nil, windowMinutes: Int = 5,
                comparison: AlertRuleComparison, threshold: Double, forMinutes: Int = 0, keepFiringForMinutes: Int = 0,
                groupBy: [String] = [], noData: AlertRuleNoData = .ok, severity: AlertSeverity = .high,
                labels: [String: String] = [:], annotations: [String: String] = [:]) {
        self.name = name
        self.description = description
        self.enabled = enabled
        self.metric = metric
        self.matchers = matchers
        self.statistic = statistic
        self.denominator = denominator
        self.windowMinutes = windowMinutes
        self.comparison = comparison
        self.threshold = threshold
        self.forMinutes = forMinutes
        self.keepFiringForMinutes = keepFiringForMinutes
        self.groupBy = groupBy
        self.noData = noData
        self.severity = severity
        self.labels = labels
        self.annotations = annotations
    }

    /// The first problem, field by field in declaration order.
    public func validate() -> ValidationFailure? {
        if let problem = DisplayName.problem(name) { return problem }
        if let description, description.unicodeScalars.count > Self.maxDescriptionLength || description.contains("\0") {
            return ValidationFailure(field: "description", message: "description must be at most \(Self.maxDescriptionLength) characters")
        }
        if let problem = MetricNameRule.check(metric, maxLength: Self.maxMetricNameLength, what: "metric") {
            return ValidationFailure(field: "metric", message: problem.message)
        }
        if matchers.count > Self.maxMatchers {
            return ValidationFailure(field: "matchers", message: "at most \(Self.maxMatchers) matchers")
        }
        if let denominator {
            guard statistic.allowsRatio else {
                return ValidationFailure(field: "denominator", message: "a ratio needs the count, sum or rate statistic, not \(statistic.rawValue)")
            }
            if let metric = denominator.metric, let problem = MetricNameRule.check(metric, maxLength: Self.maxMetricNameLength, what: "denominator.metric") {
                return ValidationFailure(field: "denominator.metric", message: problem.message)
            }
            if denominator.matchers.count > Self.maxMatchers {
                return ValidationFailure(field: "denominator.matchers", message: "at most \(Self.maxMatchers) matchers")
            }
        }
        if !Self.minutesRange.contains(windowMinutes) {
            return ValidationFailure(field: "window_minutes", message: "window_minutes must be between 1 and 1440")
        }
        if !threshold.isFinite {
            return ValidationFailure(field: "threshold", message: "threshold must be a finite number")
        }
        if !Self.delayRange.contains(forMinutes) {
            return ValidationFailure(field: "for_minutes", message: "for_minutes must be between 0 and 1440")
        }
        if !Self.delayRange.contains(keepFiringForMinutes) {
            return ValidationFailure(field: "keep_firing_for_minutes", message: "keep_firing_for_minutes must be between 0 and 1440")
        }
        return validateGroupingAndText()
    }

    private func validateGroupingAndText() -> ValidationFailure? {
        if groupBy.count > Self.maxGroupBy || Set(groupBy).count != groupBy.count {
            return ValidationFailure(field: "group_by", message: "group_by lists at most \(Self.maxGroupBy) distinct tag names")
        }
        if let bad = groupBy.first(where: { MetricNameRule.check($0, maxLength: Self.maxMetricNameLength, what: "tag") != nil }) {
            return ValidationFailure(field: "group_by", message: "'\(MetricNameRule.excerpt(bad))' is not a tag name (A-Z a-z 0-9 _ . : -)")
        }
        if labels.count > Self.maxLabels {
            return ValidationFailure(field: "labels", message: "at most \(Self.maxLabels) labels")
        }
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
            if Self.reservedLabels.contains(key) {
                return ValidationFailure(field: "labels.\(key)", message: "'\(key)' is set by Vigil on every rule alert")
            }
            if !AlertInputRules.isValidLabelName(key) {
                return ValidationFailure(field: "labels", message: "'\(MetricNameRule.excerpt(key))' is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)")
            }
            if value.unicodeScalars.count > AlertInputRules.maxLabelValueLength || value.contains("\0") {
                return ValidationFailure(field: "labels.\(key)", message: "label values are at most \(AlertInputRules.maxLabelValueLength) characters")
            }
        }
        if annotations.count > Self.maxAnnotations {
            return ValidationFailure(field: "annotations", message: "at most \(Self.maxAnnotations) annotations")
        }
        for (key, value) in annotations.sorted(by: { $0.key < $1.key }) {
            if !AlertInputRules.isValidLabelName(key) {
                return ValidationFailure(field: "annotations", message: "'\(MetricNameRule.excerpt(key))' is not an annotation name ([a-zA-Z_][a-zA-Z0-9_]*)")
            }
            if value.unicodeScalars.count > Self.maxAnnotationLength || value.contains("\0") {
                return ValidationFailure(field: "annotations.\(key)", message: "annotations are at most \(Self.maxAnnotationLength) characters")
            }
            do { _ = try AlertRuleTemplate(parsing: value) } catch {
                return ValidationFailure(field: "annotations.\(key)", message: error.message)
            }
        }
        return nil
    }

    /// The metric the denominator reads.
    public var denominatorMetric: String? { denominator.map { $0.metric ?? metric } }

    enum CodingKeys: String, CodingKey {
        case name, description, enabled, metric, matchers, statistic, denominator, comparison, threshold, severity, labels, annotations
        case windowMinutes = "window_minutes"
        case forMinutes = "for_minutes"
        case keepFiringForMinutes = "keep_firing_for_minutes"
        case groupBy = "group_by"
        case noData = "no_data"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name),
                  description: try c.decodeIfPresent(String.self, forKey: .description),
                  enabled: try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true,
                  metric: try c.decode(String.self, forKey: .metric),
                  matchers: try c.decodeIfPresent([LabelMatcher].self, forKey: .matchers) ?? [],
                  statistic: try c.decode(AlertRuleStatistic.self, forKey: .statistic),
                  denominator: try c.decodeIfPresent(AlertRuleDenominator.self, forKey: .denominator),
                  windowMinutes: try c.decodeIfPresent(Int.self, forKey: .windowMinutes) ?? 5,
                  comparison: try c.decode(AlertRuleComparison.self, forKey: .comparison),
                  threshold: try c.decode(Double.self, forKey: .threshold),
                  forMinutes: try c.decodeIfPresent(Int.self, forKey: .forMinutes) ?? 0,
                  keepFiringForMinutes: try c.decodeIfPresent(Int.self, forKey: .keepFiringForMinutes) ?? 0,
                  groupBy: try c.decodeIfPresent([String].self, forKey: .groupBy) ?? [],
                  noData: try c.decodeIfPresent(AlertRuleNoData.self, forKey: .noData) ?? .ok,
                  severity: try c.decodeIfPresent(AlertSeverity.self, forKey: .severity) ?? .high,
                  labels: try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:],
                  annotations: try c.decodeIfPresent([String: String].self, forKey: .annotations) ?? [:])
    }
}
