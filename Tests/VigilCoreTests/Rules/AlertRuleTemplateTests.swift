import Foundation
import Testing
import VigilCore

struct AlertRuleTemplateTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var template: String
        var value: Double?
        var rendered: String
        var testDescription: String { template }
    }

    static let cases: [Case] = [
        Case(template: "Error rate is {{ $value }} per second", value: 0.25, rendered: "Error rate is 0.25 per second"),
        Case(template: "{{$value}} requests", value: 12, rendered: "12 requests"),
        Case(template: "p95 {{ $value | humanize }}ms", value: 2345.678, rendered: "p95 2.346kms"),
        Case(template: "over {{ $threshold }} on {{ $labels.endpoint }}", value: 1, rendered: "over 0.1 on /api/users"),
        Case(template: "{{ $labels.missing }}|{{ $rule }}", value: 1, rendered: "|HighErrorRate"),
        Case(template: "no placeholders", value: 1, rendered: "no placeholders"),
        Case(template: "value: {{ $value }}", value: nil, rendered: "value: no data"),
        Case(template: "dotted {{ $labels.http.status }}", value: 1, rendered: "dotted 503"),
    ]

    @Test(arguments: cases)
    func renders(_ c: Case) throws {
        let template = try AlertRuleTemplate(parsing: c.template)
        #expect(template.render(value: c.value, threshold: 0.1, rule: "HighErrorRate",
                                labels: ["endpoint": "/api/users", "http.status": "503"]) == c.rendered)
    }

    @Test(arguments: ["{{ $value", "{{ $values }}", "{{ .Value }}", "{{ $value | printf }}", "{{ $labels. }}", "{{ $threshold | humanize }}",
                      "{{ $labels.a b }}"])
    func refusesWhatItCannotRender(_ text: String) {
        #expect(throws: AlertRuleTemplate.ParseError.self) { try AlertRuleTemplate(parsing: text) }
    }

    @Test func humanizeUsesSIPrefixes() {
        #expect(AlertRuleTemplate.humanize(1_500_000) == "1.5M")
        #expect(AlertRuleTemplate.humanize(0.0042) == "4.2m")
        #expect(AlertRuleTemplate.humanize(999) == "999")
        #expect(AlertRuleTemplate.humanize(0) == "0")
    }
}
