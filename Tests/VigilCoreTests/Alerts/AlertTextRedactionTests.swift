import Testing
import VigilCore

struct AlertTextRedactionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var policy: RedactionPolicy
        var input: AlertTexts
        var expected: AlertTexts
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "mask: emails, addresses and credentials in every text; names kept",
             policy: RedactionPolicy(),
             input: AlertTexts(title: "Payment failed for alice@example.com", message: "client 10.1.2.3 retried",
                               labels: ["customer": "alice@example.com", "service": "checkout", "password": "hunter2"],
                               annotations: ["runbook": "https://wiki/x?email=bob@example.com"]),
             expected: AlertTexts(title: "Payment failed for [EMAIL]", message: "client [IP] retried",
                                  labels: ["customer": "[EMAIL]", "service": "checkout", "password": "[SECRET]"],
                                  annotations: ["runbook": "https://wiki/x?email=[EMAIL]"])),
        Case(name: "allow-listed label names keep their values verbatim",
             policy: RedactionPolicy(allowedTagKeys: ["instance"]),
             input: AlertTexts(title: "Node down", message: "", labels: ["instance": "10.0.0.5:9100", "peer": "10.0.0.6"], annotations: [:]),
             expected: AlertTexts(title: "Node down", message: "", labels: ["instance": "10.0.0.5:9100", "peer": "[IP]"], annotations: [:])),
        Case(name: "policy off: nothing changes",
             policy: RedactionPolicy(enabled: false),
             input: AlertTexts(title: "alice@example.com", message: "10.0.0.1", labels: ["password": "x"], annotations: [:]),
             expected: AlertTexts(title: "alice@example.com", message: "10.0.0.1", labels: ["password": "x"], annotations: [:])),
        Case(name: "texts without personal data are stored as sent",
             policy: RedactionPolicy(),
             input: AlertTexts(title: "High CPU on api", message: "load 0.93", labels: ["severity": "page"], annotations: ["summary": "busy"]),
             expected: AlertTexts(title: "High CPU on api", message: "load 0.93", labels: ["severity": "page"], annotations: ["summary": "busy"])),
    ]

    @Test(arguments: cases)
    func redactsAsThePolicySays(_ c: Case) {
        #expect(c.input.redacted(by: PIIRedactor(policy: c.policy)) == c.expected)
    }

    @Test func pseudonymTokensKeepOnePersonApartFromAnother() {
        let redactor = PIIRedactor(policy: RedactionPolicy(mode: .pseudonymize), pseudonymKey: Array(repeating: 7, count: 32))
        let alice = AlertTexts(title: "alice@example.com", message: "", labels: [:], annotations: [:]).redacted(by: redactor)
        let bob = AlertTexts(title: "bob@example.com", message: "", labels: [:], annotations: [:]).redacted(by: redactor)
        #expect(alice.title.hasPrefix("[EMAIL:"))
        #expect(alice.title != bob.title)
        #expect(alice.title == AlertTexts(title: "ALICE@example.com", message: "", labels: [:], annotations: [:]).redacted(by: redactor).title)
    }

    /// A token is longer than a short email: texts at their limit are cut back to it, so what
    /// is stored never exceeds what the input rules accept.
    @Test func redactionNeverGrowsATextPastItsLimit() throws {
        let redactor = PIIRedactor(policy: RedactionPolicy(mode: .pseudonymize), pseudonymKey: Array(repeating: 1, count: 32))
        let emails = Array(repeating: "a@b.io", count: 70).joined(separator: " ")  // 489 characters
        let title = emails + String(repeating: "é", count: AlertInputRules.titleLength.upperBound - emails.unicodeScalars.count)
        let labelValue = String(repeating: "x@y.io ", count: AlertInputRules.maxLabelValueLength / 7)
        let input = AlertTexts(title: title, message: "", labels: ["who": labelValue], annotations: [:])
        try AlertInputRules.validate(title: input.title, message: input.message, source: "s", labels: input.labels, annotations: [:])
        let out = input.redacted(by: redactor)
        #expect(out.title.hasPrefix("[EMAIL:"))
        #expect(out.title.unicodeScalars.count == AlertInputRules.titleLength.upperBound)
        #expect(out.labels["who"]!.unicodeScalars.count == AlertInputRules.maxLabelValueLength)
        try AlertInputRules.validate(title: out.title, message: out.message, source: "s", labels: out.labels, annotations: [:])
    }
}
