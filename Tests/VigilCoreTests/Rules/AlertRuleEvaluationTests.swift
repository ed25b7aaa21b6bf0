import Foundation
import Testing
import VigilCore

struct AlertRuleEvaluationTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func sketch(_ values: [Double]) -> QuantileSketch {
        var sketch = QuantileSketch()
        for value in values { sketch.add(value) }
        return sketch
    }

    static func rule(_ change: (inout AlertRuleDefinition) -> Void = { _ in }) -> AlertRuleDefinition {
        var rule = AlertRuleDefinition(name: "Errors", metric: "http.request.duration", statistic: .count, comparison: .greater, threshold: 2,
                                       groupBy: ["endpoint"])
        change(&rule)
        return rule
    }

    struct StatisticCase: Sendable, CustomTestStringConvertible {
        var statistic: AlertRuleStatistic
        var kind: MetricKind
        var expected: Double
        var testDescription: String { "\(statistic.rawValue) of a \(kind.rawValue)" }
    }

    /// Points 10, 20, 30, 40 over a 2-minute window.
    @Test(arguments: [
        StatisticCase(statistic: .count, kind: .timing, expected: 4),
        StatisticCase(statistic: .sum, kind: .timing, expected: 100),
        StatisticCase(statistic: .mean, kind: .timing, expected: 25),
        StatisticCase(statistic: .min, kind: .timing, expected: 10),
        StatisticCase(statistic: .max, kind: .timing, expected: 40),
        StatisticCase(statistic: .rate, kind: .timing, expected: 4.0 / 120),
        StatisticCase(statistic: .rate, kind: .counter, expected: 100.0 / 120),
    ])
    func statistics(_ c: StatisticCase) throws {
        let value = try #require(c.statistic.value(of: Self.sketch([10, 20, 30, 40]), kind: c.kind, windowSeconds: 120))
        #expect(abs(value - c.expected) < 1e-9)
    }

    @Test func percentilesComeFromTheSketchWithinItsError() throws {
        let value = try #require(AlertRuleStatistic.p95.value(of: Self.sketch((1...100).map(Double.init)), kind: .timing, windowSeconds: 60))
        #expect(abs(value - 95) / 95 < 0.02)
        #expect(AlertRuleStatistic.p50.value(of: QuantileSketch(), kind: .timing, windowSeconds: 60) == nil)
    }

    @Test func aRatioTakesTheDenominatorsGroupsAndCountsAMissingNumeratorAsZero() {
        let values = AlertRuleEvaluation.values(
            rule: Self.rule { $0.denominator = AlertRuleDenominator() }, windowSeconds: 300,
            numerator: ["a": (["endpoint": "/a"], Self.sketch([1, 1]))], numeratorKind: .timing,
            denominator: ["a": (["endpoint": "/a"], Self.sketch([1, 1, 1, 1])), "b": (["endpoint": "/b"], Self.sketch([1]))],
            denominatorKind: .timing)
        let byEndpoint = Dictionary(uniqueKeysWithValues: values.map { ($0.labels["endpoint"]!, $0.value) })
        #expect(byEndpoint == ["/a": 0.5, "/b": 0])
    }

    @Test func eachGroupStepsOnItsOwnAndAVanishedGroupResolves() {
        let values = [AlertRuleGroupValue(labels: ["endpoint": "/a"], value: 5), AlertRuleGroupValue(labels: ["endpoint": "/b"], value: 1)]
        let vanished = AlertRuleGroupValue(labels: ["endpoint": "/gone"], value: nil).key
        let (outcomes, state) = AlertRuleEvaluation.step(rule: Self.rule(), values: values,
                                                         states: [vanished: AlertRuleGroupState(phase: .firing, since: Self.now)], now: Self.now)
        let actions = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.labels["endpoint"] ?? "gone", $0.action) })
        #expect(actions == ["/a": .fire, "/b": .none, "gone": .resolve])
        #expect(state == .firing)
    }

    @Test func noDataIsItsOwnStateAndFiresOnlyWhenTheRuleSaysSo() {
        let quiet = AlertRuleEvaluation.step(rule: Self.rule(), values: [], states: [:], now: Self.now)
        #expect(quiet.state == .noData && quiet.outcomes.isEmpty)
        let heartbeat = AlertRuleEvaluation.step(rule: Self.rule { $0.noData = .alerting }, values: [], states: [:], now: Self.now)
        #expect(heartbeat.state == .firing && heartbeat.outcomes.map(\.action) == [.fire] && heartbeat.outcomes[0].labels == [:])
    }

    @Test func theAlertCarriesRenderedAnnotationsAndLabelNamesFromTags() {
        let rule = Self.rule {
            $0.labels = ["team": "web"]
            $0.annotations = ["summary": "Errors on {{ $labels.endpoint }}", "runbook_url": "https://runbooks/{{ $labels.http.status }}"]
            $0.groupBy = ["endpoint", "http.status"]
        }
        let alert = AlertRuleEvaluation.alert(rule: rule, ruleID: "r1", labels: ["endpoint": "/a", "http.status": "503"], value: 7)
        #expect(alert.title == "Errors on /a")
        #expect(alert.annotations["runbook_url"] == "https://runbooks/503")
        #expect(alert.labels == ["team": "web", "endpoint": "/a", "http_status": "503", "alertname": "Errors", "rule_id": "r1"])
        #expect(alert.message.contains("is 7"))
    }

    @Test func dedupKeysAreStablePerGroupAndInVigilsNamespace() {
        let a = AlertRuleEvaluation.dedupKey(ruleID: "r1", groupKey: AlertRuleGroupValue.key(of: ["endpoint": "/a"]))
        #expect(a == AlertRuleEvaluation.dedupKey(ruleID: "r1", groupKey: AlertRuleGroupValue.key(of: ["endpoint": "/a"])))
        #expect(a != AlertRuleEvaluation.dedupKey(ruleID: "r1", groupKey: AlertRuleGroupValue.key(of: ["endpoint": "/b"])))
        #expect(throws: ValidationFailure.self) { try AlertFingerprint.validateClientDedupKey(a) }
        // "a=b" + "c" and "a" + "b=c" must not share a key.
        #expect(AlertRuleGroupValue.key(of: ["a": "b;c=d"]) != AlertRuleGroupValue.key(of: ["a": "b", "c": "d"]))
    }
}
