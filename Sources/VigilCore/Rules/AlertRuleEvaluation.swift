import Foundation

/// One group of a rule at one evaluation: its tag values and the statistic's value (nil: no
/// points in the window).
public struct AlertRuleGroupValue: Sendable, Equatable {
    public var labels: [String: String]
    public var value: Double?

    public init(labels: [String: String], value: Double?) {
        self.labels = labels
        self.value = value
    }

    /// A stable identity for the group: its tag values in tag-name order, unambiguously joined.
    public var key: String { AlertRuleGroupValue.key(of: labels) }

    public static func key(of labels: [String: String]) -> String {
        labels.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { "\($0.key.utf8.count):\($0.key)=\($0.value.utf8.count):\($0.value)" }.joined(separator: ";")
    }
}

/// Turns the selected series' merged sketches into per-group values, and values plus the stored
/// states into the next states and the alerts to raise or resolve. Pure: the worker and the
/// backtest share it, so a backtest answers exactly what the live rule would have done.
public enum AlertRuleEvaluation {
    /// The group-by tags' values of a series (absent tags as "").
    public static func groupLabels(_ tags: [String: String], groupBy: [String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: groupBy.map { ($0, tags[$0] ?? "") })
    }

    /// Whether a series is selected by `matchers` (Alertmanager semantics over its tags).
    public static func selects(_ matchers: [LabelMatcher], _ tags: [String: String]) -> Bool {
        matchers.allSatisfy { $0.matches(tags) }
    }

    /// Per-group values. `numerator` holds each group's merged sketch of the selected series;
    /// for a ratio, `denominator` the same for the denominator selector: the groups are then
    /// the denominator's, a group the numerator lacks counts 0, and a denominator of 0 is no data.
    public static func values(rule: AlertRuleDefinition, windowSeconds: Double,
                              numerator: [String: (labels: [String: String], sketch: QuantileSketch)], numeratorKind: MetricKind,
                              denominator: [String: (labels: [String: String], sketch: QuantileSketch)]?, denominatorKind: MetricKind?) -> [AlertRuleGroupValue] {
        guard let denominator else {
            return numerator.values.map {
                AlertRuleGroupValue(labels: $0.labels, value: rule.statistic.value(of: $0.sketch, kind: numeratorKind, windowSeconds: windowSeconds))
            }
        }
        return denominator.map { key, group in
            let below = rule.statistic.value(of: group.sketch, kind: denominatorKind ?? numeratorKind, windowSeconds: windowSeconds)
            let above = numerator[key].flatMap { rule.statistic.value(of: $0.sketch, kind: numeratorKind, windowSeconds: windowSeconds) } ?? 0
            guard let below, below != 0 else { return AlertRuleGroupValue(labels: group.labels, value: nil) }
            return AlertRuleGroupValue(labels: group.labels, value: above / below)
        }
    }

    /// One group's outcome at this evaluation.
    public struct GroupOutcome: Sendable, Equatable {
        public var key: String
        public var labels: [String: String]
        public var value: Double?
        public var state: AlertRuleGroupState?
        public var action: AlertRuleAction
    }

    /// The rule as a whole at this evaluation.
    public enum RuleState: String, Sendable, Codable, CaseIterable {
        case inactive, pending, firing
        case noData = "no_data"
    }

    /// Steps every group: those with a value, and those with a stored state but no value now
    /// (their condition does not hold: a vanished series resolves). With no data at all and
    /// `no_data: alerting`, one group without labels holds instead.
    public static func step(rule: AlertRuleDefinition, values: [AlertRuleGroupValue], states: [String: AlertRuleGroupState],
                            now: Date) -> (outcomes: [GroupOutcome], state: RuleState) {
        var current: [String: AlertRuleGroupValue] = [:]
        for value in values where value.value != nil { current[value.key] = value }
        let noData = current.isEmpty
        var holding: [String: Bool] = current.mapValues { rule.comparison.holds($0.value!, rule.threshold) }
        var labels: [String: [String: String]] = current.mapValues(\.labels)
        if noData && rule.noData == .alerting {
            holding[""] = true
            labels[""] = [:]
        }
        var outcomes: [GroupOutcome] = []
        for key in Set(holding.keys).union(states.keys).sorted() {
            let (next, action) = AlertRuleStateMachine.step(states[key], holds: holding[key] ?? false, now: now,
                                                            forMinutes: rule.forMinutes, keepFiringForMinutes: rule.keepFiringForMinutes)
            outcomes.append(GroupOutcome(key: key, labels: labels[key] ?? [:], value: current[key]?.value, state: next, action: action))
        }
        let phases = outcomes.compactMap(\.state?.phase)
        let state: RuleState = phases.contains(.firing) ? .firing : phases.contains(.pending) ? .pending : noData ? .noData : .inactive
        return (outcomes, state)
    }

    /// The alert a firing group raises: title and message from the `summary` and `description`
    /// annotations when given, every annotation rendered, the rule's labels plus the group's
    /// (tag names made label names) plus `alertname` and `rule_id`.
    public static func alert(rule: AlertRuleDefinition, ruleID: String, labels groupLabels: [String: String],
                             value: Double?) -> (title: String, message: String, labels: [String: String], annotations: [String: String]) {
        var annotations: [String: String] = [:]
        for (name, text) in rule.annotations {
            // Validated when the rule was saved, so a stored template always parses.
            let rendered = (try? AlertRuleTemplate(parsing: text))?.render(value: value, threshold: rule.threshold, rule: rule.name,
                                                                            labels: groupLabels) ?? text
            annotations[name] = String(rendered.prefix(AlertInputRules.maxAnnotationValueLength))
        }
        var labels = rule.labels
        for (name, value) in PrometheusNaming.labels(groupLabels) where !AlertRuleDefinition.reservedLabels.contains(name) {
            labels[name] = String(value.prefix(AlertInputRules.maxLabelValueLength))
        }
        labels["alertname"] = rule.name
        labels["rule_id"] = ruleID
        let shownValue = value.map(AlertRuleTemplate.plain) ?? "no data"
        let title = annotations["summary"].flatMap { $0.isEmpty ? nil : $0 } ?? rule.name
        let message = annotations["description"]
            ?? "\(rule.statistic.rawValue) of \(rule.metric) over \(rule.windowMinutes) min is \(shownValue) (\(rule.comparison.rawValue) \(AlertRuleTemplate.plain(rule.threshold)))"
        return (String(title.prefix(AlertInputRules.titleLength.upperBound)), String(message.prefix(AlertInputRules.maxMessageLength)), labels, annotations)
    }

    /// The dedup key of a rule's group alert: in Vigil's reserved `rule:` namespace, stable
    /// across evaluations and processes.
    public static func dedupKey(ruleID: String, groupKey: String) -> String {
        "rule:\(ruleID):\(SHA256Hex.hex(of: groupKey).prefix(16))"
    }
}
