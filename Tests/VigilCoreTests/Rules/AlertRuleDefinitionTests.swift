import Foundation
import Testing
import VigilCore

/// What a stored rule may be: every field's limit, refused with the field named.
struct AlertRuleDefinitionTests {
    static func rule(_ change: (inout AlertRuleDefinition) -> Void = { _ in }) -> AlertRuleDefinition {
        var rule = AlertRuleDefinition(name: "HighErrorRate", metric: "http.request.duration", statistic: .rate, comparison: .greater, threshold: 0.1)
        change(&rule)
        return rule
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var rule: AlertRuleDefinition
        var field: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a plain rule is valid", rule: rule(), field: nil),
        Case(name: "empty name", rule: rule { $0.name = "" }, field: "name"),
        Case(name: "name with surrounding space", rule: rule { $0.name = " x" }, field: "name"),
        Case(name: "metric with a space", rule: rule { $0.metric = "http request" }, field: "metric"),
        Case(name: "window 0", rule: rule { $0.windowMinutes = 0 }, field: "window_minutes"),
        Case(name: "window over a day", rule: rule { $0.windowMinutes = 1_441 }, field: "window_minutes"),
        Case(name: "infinite threshold", rule: rule { $0.threshold = .infinity }, field: "threshold"),
        Case(name: "negative for", rule: rule { $0.forMinutes = -1 }, field: "for_minutes"),
        Case(name: "keep firing over a day", rule: rule { $0.keepFiringForMinutes = 1_441 }, field: "keep_firing_for_minutes"),
        Case(name: "ratio of percentiles", rule: rule { $0.statistic = .p95; $0.denominator = AlertRuleDenominator() }, field: "denominator"),
        Case(name: "ratio of counts is valid", rule: rule { $0.statistic = .count; $0.denominator = AlertRuleDenominator() }, field: nil),
        Case(name: "denominator metric invalid", rule: rule { $0.denominator = AlertRuleDenominator(metric: "bad name") }, field: "denominator.metric"),
        Case(name: "group_by repeated", rule: rule { $0.groupBy = ["endpoint", "endpoint"] }, field: "group_by"),
        Case(name: "group_by eleven tags", rule: rule { $0.groupBy = (0..<11).map { "t\($0)" } }, field: "group_by"),
        Case(name: "group_by bad tag", rule: rule { $0.groupBy = ["a b"] }, field: "group_by"),
        Case(name: "reserved label", rule: rule { $0.labels = ["alertname": "x"] }, field: "labels.alertname"),
        Case(name: "label name with a dot", rule: rule { $0.labels = ["team.name": "x"] }, field: "labels"),
        Case(name: "too many labels", rule: rule { $0.labels = Dictionary(uniqueKeysWithValues: (0..<33).map { ("l\($0)", "v") }) }, field: "labels"),
        Case(name: "annotation with an unknown placeholder", rule: rule { $0.annotations = ["summary": "{{ .Value }}"] }, field: "annotations.summary"),
        Case(name: "annotation too long", rule: rule { $0.annotations = ["summary": String(repeating: "x", count: 2_001)] }, field: "annotations.summary"),
        Case(name: "description too long", rule: rule { $0.description = String(repeating: "x", count: 2_001) }, field: "description"),
    ]

    @Test(arguments: cases)
    func validates(_ c: Case) {
        #expect(c.rule.validate()?.field == c.field, "\(String(describing: c.rule.validate()))")
    }

    @Test func aStoredRuleReadsBackEqual() throws {
        let original = Self.rule {
            $0.matchers = [try! LabelMatcher(name: "status", op: .regexMatch, value: "5..")]
            $0.denominator = AlertRuleDenominator(matchers: [])
            $0.statistic = .count
            $0.groupBy = ["endpoint"]
            $0.annotations = ["summary": "{{ $value }}"]
            $0.noData = .alerting
        }
        let decoded = try JSONDecoder().decode(AlertRuleDefinition.self, from: JSONEncoder().encode(original))
        #expect(decoded == original)
    }

    @Test func defaultsFillWhatTheClientLeftOut() throws {
        let json = #"{"name":"r","metric":"m","statistic":"p99.9","comparison":">=","threshold":3}"#
        let rule = try JSONDecoder().decode(AlertRuleDefinition.self, from: Data(json.utf8))
        #expect(rule.statistic == .p999 && rule.windowMinutes == 5 && rule.forMinutes == 0 && rule.enabled && rule.noData == .ok && rule.severity == .high)
    }

    @Test(arguments: AlertRulePresets.all.map(\.name))
    func everyPresetIsAValidRule(_ name: String) throws {
        let preset = try #require(AlertRulePresets.named(name))
        #expect(preset.definition.validate() == nil)
    }
}
