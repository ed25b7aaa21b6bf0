import Foundation
import Testing
import VigilCore

struct AlertInputRulesTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var title = "High CPU"
        var message = ""
        var source = "api"
        var labels: [String: String] = ["env": "prod"]
        var annotations: [String: String] = [:]
        /// The failing field, or nil when valid.
        var field: String?
        var testDescription: String { name }
    }

    static func many(_ count: Int) -> [String: String] {
        Dictionary(uniqueKeysWithValues: (0..<count).map { ("k\($0)", "v") })
    }

    @Test(arguments: [
        Case(name: "valid", field: nil),
        Case(name: "unicode everywhere", title: "Überlast 🔥", message: "日本語\nline", source: "prom-1",
             labels: ["env": "prüf 🔥"], annotations: ["summary": "ok"], field: nil),
        Case(name: "empty title", title: "", field: "title"),
        Case(name: "blank title", title: " \n\t", field: "title"),
        Case(name: "title at limit", title: String(repeating: "é", count: 500), field: nil),
        Case(name: "title over limit", title: String(repeating: "é", count: 501), field: "title"),
        Case(name: "NUL in title", title: "a\u{0}b", field: "title"),
        Case(name: "message at limit", message: String(repeating: "m", count: 10_000), field: nil),
        Case(name: "message over limit", message: String(repeating: "m", count: 10_001), field: "message"),
        Case(name: "NUL in message", message: "\u{0}", field: "message"),
        Case(name: "empty source", source: "", field: "source"),
        Case(name: "blank source", source: "  ", field: "source"),
        Case(name: "source at limit", source: String(repeating: "s", count: 200), field: nil),
        Case(name: "source over limit", source: String(repeating: "s", count: 201), field: "source"),
        Case(name: "NUL in source", source: "a\u{0}", field: "source"),
        Case(name: "no labels", labels: [:], field: nil),
        Case(name: "64 labels", labels: many(64), field: nil),
        Case(name: "65 labels", labels: many(65), field: "labels"),
        Case(name: "label names", labels: ["_a": "", "A_9": "", "__name__": "x"], field: nil),
        Case(name: "label name with dash", labels: ["a-b": "x"], field: "labels"),
        Case(name: "label name with dot", labels: ["a.b": "x"], field: "labels"),
        Case(name: "label name starting with digit", labels: ["9a": "x"], field: "labels"),
        Case(name: "empty label name", labels: ["": "x"], field: "labels"),
        Case(name: "non-ASCII label name", labels: ["é": "x"], field: "labels"),
        Case(name: "label name at limit", labels: [String(repeating: "n", count: 100): "x"], field: nil),
        Case(name: "label name over limit", labels: [String(repeating: "n", count: 101): "x"], field: "labels"),
        Case(name: "label value at limit", labels: ["env": String(repeating: "é", count: 1024)], field: nil),
        Case(name: "label value over limit", labels: ["env": String(repeating: "v", count: 1025)], field: "labels.env"),
        Case(name: "NUL in label value", labels: ["env": "a\u{0}"], field: "labels.env"),
        Case(name: "NUL in label name", labels: ["a\u{0}": "x"], field: "labels"),
        Case(name: "64 annotations", annotations: many(64), field: nil),
        Case(name: "65 annotations", annotations: many(65), field: "annotations"),
        Case(name: "annotation value at limit", annotations: ["d": String(repeating: "d", count: 10_000)], field: nil),
        Case(name: "annotation value over limit", annotations: ["d": String(repeating: "d", count: 10_001)], field: "annotations.d"),
        Case(name: "NUL in annotation value", annotations: ["d": "\u{0}"], field: "annotations.d"),
        Case(name: "bad annotation name", annotations: ["runbook-url": "x"], field: "annotations"),
        Case(name: "title checked before labels", title: "", labels: ["a-b": "x"], field: "title"),
        Case(name: "labels checked in byte order", labels: ["b": String(repeating: "v", count: 1025), "a": "\u{0}"], field: "labels.a"),
    ])
    func rules(c: Case) {
        do {
            try AlertInputRules.validate(title: c.title, message: c.message, source: c.source, labels: c.labels, annotations: c.annotations)
            #expect(c.field == nil, "expected a failure on \(c.field ?? "")")
        } catch {
            #expect(error.field == c.field, "\(error.message)")
        }
    }

    @Test(arguments: [("a", true), ("_", true), ("Z9_z", true), ("", false), ("1", false), ("a b", false), ("a:b", false)])
    func labelNames(name: String, valid: Bool) {
        #expect(AlertInputRules.isValidLabelName(name) == valid)
    }
}
