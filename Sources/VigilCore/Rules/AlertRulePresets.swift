import Foundation

/// A rule the reference documents' users already run, ready to enable in one call
/// (`POST …/alert-rules/presets/{name}`), with their thresholds translated to Vigil's metrics
/// (timings in milliseconds, the metric names of docs/dashboards.md).
public struct AlertRulePreset: Sendable, Equatable {
    public var name: String
    public var summary: String
    /// Where the rule comes from.
    public var reference: String
    public var definition: AlertRuleDefinition
}

/// What a caller may change when enabling a preset.
public struct AlertRulePresetOverrides: Sendable, Equatable {
    public var name: String?
    public var metric: String?
    public var threshold: Double?
    public var severity: AlertSeverity?
    public var groupBy: [String]?
    public var enabled: Bool?

    public init(name: String? = nil, metric: String? = nil, threshold: Double? = nil, severity: AlertSeverity? = nil,
                groupBy: [String]? = nil, enabled: Bool? = nil) {
        self.name = name
        self.metric = metric
        self.threshold = threshold
        self.severity = severity
        self.groupBy = groupBy
        self.enabled = enabled
    }

    public func applied(to definition: AlertRuleDefinition) -> AlertRuleDefinition {
        var rule = definition
        if let name { rule.name = name }
        // A ratio's denominator without a metric of its own follows the rule's metric.
        if let metric { rule.metric = metric }
        if let threshold { rule.threshold = threshold }
        if let severity { rule.severity = severity }
        if let groupBy { rule.groupBy = groupBy }
        if let enabled { rule.enabled = enabled }
        return rule
    }
}

public enum AlertRulePresets {
    public static func named(_ name: String) -> AlertRulePreset? { all.first { $0.name == name } }

    public static let all: [AlertRulePreset] = [
        AlertRulePreset(
            name: "high-error-rate", summary: "5xx responses above 0.1 per second for 5 minutes",
            reference: "tux-backend-monitoring.md and prs-monitoring-setup.md, HighErrorRate",
            definition: AlertRuleDefinition(
                name: "HighErrorRate", metric: "http.request.duration", matchers: [matcher("status", .regexMatch, "5..")],
                statistic: .rate, windowMinutes: 5, comparison: .greater, threshold: 0.1, forMinutes: 5, severity: .critical,
                annotations: ["summary": "High error rate detected",
                              "description": "Error rate is {{ $value | humanize }} errors per second"])),
        AlertRulePreset(
            name: "slow-response-times", summary: "p95 response time above 2 s for 5 minutes",
            reference: "tux-backend-monitoring.md SlowResponseTimes, prs-monitoring-setup.md HighResponseTime",
            definition: AlertRuleDefinition(
                name: "SlowResponseTimes", metric: "http.request.duration", statistic: .p95, windowMinutes: 5,
                comparison: .greater, threshold: 2_000, forMinutes: 5, severity: .medium,
                annotations: ["summary": "Slow response times detected",
                              "description": "95th percentile response time is {{ $value | humanize }} ms"])),
        AlertRulePreset(
            name: "high-mutation-failure-rate", summary: "more than 5 % of GraphQL mutations fail, for 5 minutes",
            reference: "monitoring-enhancements.md, HighMutationFailureRate",
            definition: AlertRuleDefinition(
                name: "HighMutationFailureRate", metric: "graphql.mutation.duration", matchers: [matcher("status", .equal, "error")],
                statistic: .count, denominator: AlertRuleDenominator(), windowMinutes: 5, comparison: .greater, threshold: 0.05,
                forMinutes: 5, severity: .medium,
                annotations: ["summary": "GraphQL mutation failure rate > 5%",
                              "description": "{{ $value | humanize }} of mutations failed over the last 5 minutes"])),
        AlertRulePreset(
            name: "high-duplicate-rate", summary: "more than 3 % of task submissions are duplicates, for 10 minutes",
            reference: "monitoring-enhancements.md, HighDuplicateRate",
            definition: AlertRuleDefinition(
                name: "HighDuplicateRate", metric: "task.idempotency.check", matchers: [matcher("result", .equal, "duplicate")],
                statistic: .sum, denominator: AlertRuleDenominator(), windowMinutes: 10, comparison: .greater, threshold: 0.03,
                forMinutes: 10, severity: .medium,
                annotations: ["summary": "Celery duplicate rate > 3%",
                              "description": "{{ $value | humanize }} of task submissions were duplicates over 10 minutes"])),
    ]

    /// The presets' matchers are constants: one that does not build is a programming error.
    private static func matcher(_ name: String, _ op: LabelMatcher.Operator, _ value: String) -> LabelMatcher {
        do { return try LabelMatcher(name: name, op: op, value: value) } catch { preconditionFailure("preset matcher: \(error)") }
    }
}
