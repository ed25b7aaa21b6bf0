import Foundation

/// One firing of a rule's group in a backtest.
public struct AlertRuleBacktestEvent: Sendable, Equatable {
    public var labels: [String: String]
    public var firedAt: Date
    /// nil when the group was still firing at the end of the interval.
    public var resolvedAt: Date?
    public var valueAtFire: Double?
    /// The most extreme value while firing, in the direction of the comparison.
    public var peakValue: Double?
}

public struct AlertRuleBacktestResult: Sendable, Equatable {
    /// The interval replayed: whole minutes, `to` clipped to the current minute's end.
    public var from: Date
    public var to: Date
    public var evaluations: Int
    public var events: [AlertRuleBacktestEvent]
    /// Minutes at least one group was firing.
    public var firingMinutes: Int
}

/// Replays a rule over a past interval, minute by minute, with the live rule's own evaluation
/// (`AlertRuleEvaluation`): when would it have fired and resolved?
public enum AlertRuleBacktest {
    /// Per minute (bucket start), per group key: the group's labels and merged sketch.
    public typealias MinuteGroups = [Date: [String: (labels: [String: String], sketch: QuantileSketch)]]

    public static let maxIntervalMinutes = 10_080
    /// Sketch merges one backtest may do (evaluations × window minutes × groups): bounds the
    /// CPU a request can take, whatever rule a tenant writes.
    public static let maxCost = 2_000_000

    public static func cost(intervalMinutes: Int, windowMinutes: Int, groups: Int) -> Int {
        let (perGroup, overflowA) = intervalMinutes.multipliedReportingOverflow(by: windowMinutes)
        let (total, overflowB) = perGroup.multipliedReportingOverflow(by: max(1, groups))
        return overflowA || overflowB ? Int.max : total
    }

    /// Evaluates at every minute in [from, to) as the worker would during that minute: over the
    /// window's whole minutes plus the current one (`MetricWindow`, as `…/stats` reads it).
    /// `from` and `to` are whole minutes.
    public static func run(rule: AlertRuleDefinition, from: Date, to: Date,
                           numerator: MinuteGroups, numeratorKind: MetricKind,
                           denominator: MinuteGroups?, denominatorKind: MetricKind?) -> AlertRuleBacktestResult {
        let windowSeconds = Double(rule.windowMinutes * 60)
        var states: [String: AlertRuleGroupState] = [:]
        var open: [String: AlertRuleBacktestEvent] = [:]
        var events: [AlertRuleBacktestEvent] = []
        var evaluations = 0, firingMinutes = 0
        var now = from
        while now < to {
            let numeratorWindow = merged(numerator, endingAt: now, minutes: rule.windowMinutes)
            let denominatorWindow = denominator.map { merged($0, endingAt: now, minutes: rule.windowMinutes) }
            let values = AlertRuleEvaluation.values(rule: rule, windowSeconds: windowSeconds, numerator: numeratorWindow, numeratorKind: numeratorKind,
                                                    denominator: denominatorWindow, denominatorKind: denominatorKind)
            let (outcomes, ruleState) = AlertRuleEvaluation.step(rule: rule, values: values, states: states, now: now)
            for outcome in outcomes {
                states[outcome.key] = outcome.state
                switch outcome.action {
                case .fire:
                    open[outcome.key] = AlertRuleBacktestEvent(labels: outcome.labels, firedAt: now, resolvedAt: nil,
                                                               valueAtFire: outcome.value, peakValue: outcome.value)
                case .resolve:
                    if var event = open.removeValue(forKey: outcome.key) {
                        event.resolvedAt = now
                        events.append(event)
                    }
                case .none:
                    if let value = outcome.value, var event = open[outcome.key] {
                        event.peakValue = event.peakValue.map { more(value, than: $0, rule.comparison) ? value : $0 } ?? value
                        open[outcome.key] = event
                    }
                }
            }
            evaluations += 1
            if ruleState == .firing { firingMinutes += 1 }
            now = now.addingTimeInterval(60)
        }
        events += open.values
        events.sort { ($0.firedAt, AlertRuleGroupValue.key(of: $0.labels)) < ($1.firedAt, AlertRuleGroupValue.key(of: $1.labels)) }
        return AlertRuleBacktestResult(from: from, to: to, evaluations: evaluations, events: events, firingMinutes: firingMinutes)
    }

    /// Each group's sketches of the minute `current` and the `minutes` minutes before it, merged.
    static func merged(_ groups: MinuteGroups, endingAt current: Date, minutes: Int) -> [String: (labels: [String: String], sketch: QuantileSketch)] {
        var window: [String: (labels: [String: String], sketch: QuantileSketch)] = [:]
        for offset in 0...minutes {
            guard let minute = groups[current.addingTimeInterval(-Double(offset * 60))] else { continue }
            for (key, group) in minute {
                if window[key] == nil { window[key] = (group.labels, QuantileSketch()) }
                window[key]!.sketch.merge(group.sketch)
            }
        }
        return window
    }

    /// Whether `value` is further into the alerting side than `other`.
    static func more(_ value: Double, than other: Double, _ comparison: AlertRuleComparison) -> Bool {
        switch comparison {
        case .less, .lessOrEqual: value < other
        default: value > other
        }
    }
}
