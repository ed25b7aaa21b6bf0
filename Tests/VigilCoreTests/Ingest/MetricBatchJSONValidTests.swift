import Foundation
import Testing
@testable import VigilCore

/// Bodies that must parse, with the exact points they must yield.
struct MetricBatchJSONValidTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var body: String
        var points: [RawMetricPoint]
        var testDescription: String { label }
    }

    static let p = RawMetricPoint(name: "a", kind: "gauge", value: 1)
    static let minimal = #"{"name":"a","kind":"gauge","value":1}"#

    static let cases: [Case] = [
        Case(label: "minimal point", body: Ingest.body([minimal]), points: [p]),
        Case(label: "empty points (rejected later by PointValidator)", body: #"{"points":[]}"#, points: []),
        Case(label: "empty points with whitespace", body: " \t\r\n{ \"points\" : [ \n ] } \n", points: []),
        Case(label: "maximal point", body: Ingest.body([Ingest.fullPoint]), points: [
            RawMetricPoint(name: "http.request.duration", kind: "timing", value: 123.456,
                           timestamp: Ingest.date(Ingest.nov30, nanos: 123_000_000),
                           tags: ["endpoint": "/api/users", "method": "GET", "status": "200", "host": "web-3"]),
        ]),
        Case(label: "whitespace everywhere", body: "{\n\t\"points\" :\r\n[ {\"name\" : \"a\" ,\"kind\":\"gauge\", \"value\" :1 } ]\n}", points: [p]),
        Case(label: "keys in any order", body: Ingest.body([#"{"value":1,"kind":"gauge","name":"a"}"#]), points: [p]),
        Case(label: "null timestamp and tags mean absent",
             body: Ingest.body([#"{"name":"a","kind":"gauge","value":1,"timestamp":null,"tags":null}"#]), points: [p]),
        Case(label: "kind is not validated here", body: Ingest.body([#"{"name":"a","kind":"bogus","value":1}"#]),
             points: [RawMetricPoint(name: "a", kind: "bogus", value: 1)]),
        Case(label: "empty strings and empty tags", body: Ingest.body([#"{"name":"","kind":"","value":0,"tags":{}}"#]),
             points: [RawMetricPoint(name: "", kind: "", value: 0, tags: [:])]),
        Case(label: "unknown keys of every type are skipped", body: #"{"v":1,"points":[{"x":[1,{"y":null}],"name":"a","z":"s","kind":"gauge","t":true,"f":false,"n":null,"value":1,"o":{"a":[[]]}}],"extra":{"k":[-1.5e3,"\u00e9"]}}"#, points: [p]),
        Case(label: "duplicate keys: last wins", body: #"{"points":[{"name":"x","name":"a","kind":"c","kind":"gauge","value":9,"value":1,"tags":{"k":"1","k":"2"}}]}"#,
             points: [RawMetricPoint(name: "a", kind: "gauge", value: 1, tags: ["k": "2"])]),
        Case(label: "duplicate points key: last wins", body: #"{"points":[{"name":"x","kind":"c","value":2}],"points":[{"name":"a","kind":"gauge","value":1}]}"#, points: [p]),
        Case(label: "escaped key names still match", body: #"{"p\u006fints":[{"n\u0061me":"a","kind":"gauge","valu\u0065":1}]}"#, points: [p]),
        Case(label: "all simple escapes", body: Ingest.body([#"{"name":"q\"b\\s\/b\bf\fn\nr\rt\t","kind":"gauge","value":1}"#]),
             points: [RawMetricPoint(name: "q\"b\\s/b\u{8}f\u{C}n\nr\rt\t", kind: "gauge", value: 1)]),
        Case(label: "unicode escapes incl. surrogate pair and NUL", body: Ingest.body([#"{"name":"\u00e9\u4e2D\ud83d\ude00\u0000","kind":"gauge","value":1}"#]),
             points: [RawMetricPoint(name: "é中😀\u{0}", kind: "gauge", value: 1)]),
        Case(label: "raw UTF-8 of every length", body: Ingest.body([#"{"name":"é中😀","kind":"gauge","value":1,"tags":{"ключ":"значение"}}"#]),
             points: [RawMetricPoint(name: "é中😀", kind: "gauge", value: 1, tags: ["ключ": "значение"])]),
        Case(label: "raw and escaped UTF-8 mixed", body: Ingest.body([#"{"name":"é\n😀","kind":"gauge","value":1}"#]),
             points: [RawMetricPoint(name: "é\n😀", kind: "gauge", value: 1)]),
        Case(label: "escaped timestamp", body: Ingest.body([#"{"name":"a","kind":"gauge","value":1,"timestamp":"2026-11-30T05:00:00\u005a"}"#]),
             points: [RawMetricPoint(name: "a", kind: "gauge", value: 1, timestamp: Ingest.date(Ingest.nov30))]),
        Case(label: "UTF-8 BOM is ignored", body: "\u{FEFF}" + Ingest.body([minimal]), points: [p]),
        Case(label: "negative zero", body: Ingest.body([#"{"name":"a","kind":"gauge","value":-0}"#]),
             points: [RawMetricPoint(name: "a", kind: "gauge", value: -0.0)]),
        Case(label: "exponent forms", body: Ingest.body([#"{"name":"a","kind":"gauge","value":1E+2}"#, #"{"name":"a","kind":"gauge","value":-2.5e-3}"#, #"{"name":"a","kind":"gauge","value":0e0}"#]),
             points: [RawMetricPoint(name: "a", kind: "gauge", value: 100), RawMetricPoint(name: "a", kind: "gauge", value: -0.0025),
                      RawMetricPoint(name: "a", kind: "gauge", value: 0)]),
        Case(label: "huge but finite and underflowing numbers", body: Ingest.body([#"{"name":"a","kind":"gauge","value":1.7976931348623157e308}"#, #"{"name":"a","kind":"gauge","value":1e-400}"#, #"{"name":"a","kind":"gauge","value":123456789012345678901234567890}"#]),
             points: [RawMetricPoint(name: "a", kind: "gauge", value: .greatestFiniteMagnitude), RawMetricPoint(name: "a", kind: "gauge", value: 0),
                      RawMetricPoint(name: "a", kind: "gauge", value: 123456789012345678901234567890.0)]),
        Case(label: "huge number in an unknown key is fine", body: Ingest.body([#"{"name":"a","kind":"gauge","value":1,"x":1e400}"#]), points: [p]),
        Case(label: "exactly maxPoints (3)", body: Ingest.body([minimal, minimal, minimal]), points: [p, p, p]),
        Case(label: "63 nested arrays in an unknown key (64 levels with the top object)",
             body: #"{"points":[],"x":"# + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "}", points: []),
        Case(label: "timestamp with offset", body: Ingest.body([#"{"name":"a","kind":"gauge","value":1,"timestamp":"2026-11-30T06:30:00+01:30"}"#]),
             points: [RawMetricPoint(name: "a", kind: "gauge", value: 1, timestamp: Ingest.date(Ingest.nov30))]),
    ]

    @Test(arguments: cases)
    func parses(_ c: Case) {
        let result = Ingest.parse(c.body, maxPoints: 3)
        #expect(result == .success(c.points), "\(c.label)")
    }

    @Test func negativeZeroKeepsItsSign() throws {
        let points = try MetricBatchJSON.parse(Array(Ingest.body([#"{"name":"a","kind":"g","value":-0.0}"#]).utf8), maxPoints: 1)
        #expect(points[0].value.sign == .minus)
    }

    @Test func fiveHundredPointBody() throws {
        let body = Ingest.body(Array(repeating: Ingest.fullPoint, count: 500))
        let points = try MetricBatchJSON.parse(Array(body.utf8), maxPoints: 10_000)
        #expect(points.count == 500)
        #expect(Set(points.map(\.name)) == ["http.request.duration"])
    }
}
