import Testing
import VigilCore

struct InhibitRuleTests {
    typealias C = InhibitRule.Candidate

    static func rule(_ source: String = #"severity="critical""#, _ target: String = #"severity="warning""#,
                     equal: [String] = ["datacenter"]) throws -> InhibitRule {
        try InhibitRule(sourceMatchers: LabelMatcher.parseList(source), targetMatchers: LabelMatcher.parseList(target), equal: equal)
    }

    static let target = C(fingerprint: "t", labels: ["severity": "warning", "datacenter": "fra"])

    @Test(arguments: [
        ([C(fingerprint: "s", labels: ["severity": "critical", "datacenter": "fra"])], true),
        ([C(fingerprint: "s", labels: ["severity": "critical", "datacenter": "ams"])], false),     // equal labels differ
        ([C(fingerprint: "s", labels: ["severity": "critical"])], false),                         // missing vs "fra"
        ([C(fingerprint: "s", labels: ["severity": "high", "datacenter": "fra"])], false),        // not a source
        ([], false),
        ([C(fingerprint: "a", labels: ["severity": "high", "datacenter": "fra"]),
          C(fingerprint: "b", labels: ["severity": "critical", "datacenter": "fra"])], true),     // any source suffices
    ])
    func inhibition(sources: [C], inhibited: Bool) throws {
        #expect(try Self.rule().inhibits(Self.target, sources: sources) == inhibited)
    }

    @Test func targetMustMatch() throws {
        let source = C(fingerprint: "s", labels: ["severity": "critical", "datacenter": "fra"])
        #expect(!(try Self.rule().inhibits(C(fingerprint: "x", labels: ["severity": "info", "datacenter": "fra"]), sources: [source])))
    }

    @Test func missingOnBothSidesCountsAsEqual() throws {
        let source = C(fingerprint: "s", labels: ["severity": "critical", "datacenter": ""])
        #expect(try Self.rule().inhibits(C(fingerprint: "t", labels: ["severity": "warning"]), sources: [source]))
    }

    @Test func noEqualLabelsMeansAnySource() throws {
        let source = C(fingerprint: "s", labels: ["severity": "critical", "datacenter": "ams"])
        #expect(try Self.rule(equal: []).inhibits(Self.target, sources: [source]))
    }

    @Test func anAlertNeverInhibitsItself() throws {
        let rule = try Self.rule(#"alertname="NodeDown""#, #"alertname="NodeDown""#, equal: ["instance"])
        let me = C(fingerprint: "fp1", labels: ["alertname": "NodeDown", "instance": "a"])
        #expect(!rule.inhibits(me, sources: [me]))
        let twin = C(fingerprint: "fp2", labels: me.labels)
        #expect(rule.inhibits(me, sources: [me, twin]))
    }

    @Test func validation() throws {
        #expect(throws: ValidationFailure.self) { try InhibitRule(sourceMatchers: [], targetMatchers: LabelMatcher.parseList("a=1"), equal: []) }
        #expect(throws: ValidationFailure.self) { try InhibitRule(sourceMatchers: LabelMatcher.parseList("a=1"), targetMatchers: [], equal: []) }
        #expect(throws: ValidationFailure.self) { try Self.rule(equal: ["bad label"]) }
    }
}
