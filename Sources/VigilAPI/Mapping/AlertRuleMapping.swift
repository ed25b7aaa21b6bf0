import Foundation
import VigilCore
import VigilServices

/// Alert rule request bodies to core values, and rules, statuses and backtests to response bodies.
extension APIController {
    static func alertRule(_ b: Components.Schemas.AlertRuleInput) throws -> AlertRuleDefinition {
        let denominator = try b.denominator.map {
            AlertRuleDenominator(metric: $0.metric, matchers: try matchers($0.matchers, field: "denominator.matchers"))
        }
        return AlertRuleDefinition(
            name: b.name, description: b.description, enabled: b.enabled ?? true, metric: b.metric,
            matchers: try matchers(b.matchers, field: "matchers"),
            statistic: AlertRuleStatistic(rawValue: b.statistic.rawValue) ?? .count, denominator: denominator,
            windowMinutes: b.windowMinutes ?? 5, comparison: AlertRuleComparison(rawValue: b.comparison.rawValue) ?? .greater,
            threshold: b.threshold, forMinutes: b.forMinutes ?? 0, keepFiringForMinutes: b.keepFiringForMinutes ?? 0,
            groupBy: b.groupBy ?? [], noData: b.noData.flatMap { AlertRuleNoData(rawValue: $0.rawValue) } ?? .ok,
            severity: b.severity.map(AlertSeverity.init) ?? .high, labels: b.labels?.additionalProperties ?? [:],
            annotations: b.annotations?.additionalProperties ?? [:])
    }

    static func presetOverrides(_ b: Components.Schemas.AlertRulePresetOverrides?) -> AlertRulePresetOverrides {
        guard let b else { return AlertRulePresetOverrides() }
        return AlertRulePresetOverrides(name: b.name, metric: b.metric, threshold: b.threshold, severity: b.severity.map(AlertSeverity.init),
                                        groupBy: b.groupBy, enabled: b.enabled)
    }
}

extension Components.Schemas.AlertRuleInput {
    /// Every field written out, defaults included, so a client sees what the rule does.
    init(_ d: AlertRuleDefinition) {
        self.init(name: d.name, description: d.description, enabled: d.enabled, metric: d.metric, matchers: d.matchers.map(Components.Schemas.LabelMatcher.init),
                  statistic: .init(rawValue: d.statistic.rawValue)!,
                  denominator: d.denominator.map { .init(metric: $0.metric, matchers: $0.matchers.map(Components.Schemas.LabelMatcher.init)) },
                  windowMinutes: d.windowMinutes, comparison: .init(rawValue: d.comparison.rawValue)!, threshold: d.threshold,
                  forMinutes: d.forMinutes, keepFiringForMinutes: d.keepFiringForMinutes, groupBy: d.groupBy,
                  noData: .init(rawValue: d.noData.rawValue), severity: .init(rawValue: d.severity.rawValue),
                  labels: .init(additionalProperties: d.labels), annotations: .init(additionalProperties: d.annotations))
    }
}

extension Components.Schemas.AlertRule {
    init(_ v: AlertRuleView) {
        self.init(id: v.id.uuidString.lowercased(), definition: .init(v.definition), createdAt: v.createdAt, updatedAt: v.updatedAt,
                  lastEvaluation: v.lastEvaluation.map {
                      .init(evaluatedAt: $0.evaluatedAt, state: .init(rawValue: $0.state) ?? .error, durationMs: $0.durationMs, error: $0.error)
                  })
    }
}

extension Components.Schemas.AlertRuleStatus {
    init(_ s: AlertRuleStatusView) {
        self.init(rule: .init(s.rule), groups: s.groups.map {
            .init(labels: .init(additionalProperties: $0.labels), value: $0.value, state: .init(rawValue: $0.state) ?? .inactive,
                  since: $0.since, alertId: $0.alertID?.uuidString.lowercased())
        })
    }
}

extension Components.Schemas.AlertRuleTestResult {
    init(_ r: AlertRuleBacktestResult) {
        self.init(from: r.from, to: r.to, evaluations: r.evaluations, firingMinutes: r.firingMinutes, events: r.events.map {
            .init(labels: .init(additionalProperties: $0.labels), firedAt: $0.firedAt, resolvedAt: $0.resolvedAt,
                  valueAtFire: $0.valueAtFire, peakValue: $0.peakValue)
        })
    }
}

extension Components.Schemas.AlertRulePreset {
    init(_ p: AlertRulePreset) {
        self.init(name: p.name, summary: p.summary, reference: p.reference, definition: .init(p.definition))
    }
}
