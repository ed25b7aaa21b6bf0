import Testing
@testable import VigilCore

/// Bodies that must be rejected, with the field path and a fragment of the message.
struct MetricBatchJSONErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var body: String
        var field: String
        var message: String
        var testDescription: String { "\(field): \(message) ← \(body.prefix(60))" }
        init(_ body: String, _ field: String, _ message: String) { (self.body, self.field, self.message) = (body, field, message) }
    }

    static let ok = #"{"name":"a","kind":"gauge","value":1}"#
    static func pt(_ extra: String) -> String { Ingest.body([#"{"name":"a","kind":"gauge","value":1,"# + extra + "}"]) }
    static func val(_ v: String) -> String { Ingest.body([#"{"name":"a","kind":"gauge","value":"# + v + "}"]) }
    static func name(_ s: String) -> String { Ingest.body([#"{"name":""# + s + #"","kind":"gauge","value":1}"#]) }

    static let shape: [Case] = [
        Case(#"[]"#, "body", "body must be a JSON object"),
        Case(#""points""#, "body", "body must be a JSON object"),
        Case(#"{}"#, "points", "points is required"),
        Case(#"{"point":[]}"#, "points", "points is required"),
        Case(#"{"points":null}"#, "points", "points must be an array"),
        Case(#"{"points":{}}"#, "points", "points must be an array"),
        Case(#"{"points":[1]}"#, "points[0]", "points[0] must be an object"),
        Case(Ingest.body([ok, ok, "null"]), "points[2]", "points[2] must be an object"),
        Case(Ingest.body([ok, ok, ok, ok]), "points", "at most 3 points per request"),
        // The limit trips before the broken 4th point is even looked at.
        Case(Ingest.body([ok, ok, ok, "garbage"]), "points", "at most 3 points per request"),
        Case(Ingest.body([#"{"kind":"gauge","value":1}"#]), "points[0].name", "points[0].name is required"),
        Case(Ingest.body([#"{"name":"a","value":1}"#]), "points[0].kind", "points[0].kind is required"),
        Case(Ingest.body([ok, #"{"name":"a","kind":"gauge"}"#]), "points[1].value", "points[1].value is required"),
        Case(Ingest.body([#"{"name":null,"kind":"gauge","value":1}"#]), "points[0].name", "must be a string"),
        Case(Ingest.body([#"{"name":1,"kind":"gauge","value":1}"#]), "points[0].name", "must be a string"),
        Case(Ingest.body([#"{"name":"a","kind":["gauge"],"value":1}"#]), "points[0].kind", "must be a string"),
        Case(val(#""1""#), "points[0].value", "points[0].value must be a number"),
        Case(val("null"), "points[0].value", "must be a number"),
        Case(val("true"), "points[0].value", "must be a number"),
        Case(val("1e400"), "points[0].value", "points[0].value must be a finite number"),
        Case(val("-1e400"), "points[0].value", "must be a finite number"),
        Case(val("1" + String(repeating: "0", count: 400)), "points[0].value", "must be a finite number"),
        Case(pt(#""timestamp":1796014800"#), "points[0].timestamp", "must be an RFC 3339 date-time string"),
        Case(pt(#""timestamp":"yesterday""#), "points[0].timestamp", "must be an RFC 3339 date-time such as"),
        Case(pt(#""timestamp":"2026-02-29T00:00:00Z""#), "points[0].timestamp", "RFC 3339"),
        Case(pt(#""tags":"env=prod""#), "points[0].tags", "points[0].tags must be an object of strings"),
        Case(pt(#""tags":["env"]"#), "points[0].tags", "must be an object of strings"),
        Case(pt(#""tags":{"env":1}"#), "points[0].tags.env", "points[0].tags.env must be a string"),
        Case(pt(#""tags":{"a":"b","env":null}"#), "points[0].tags.env", "must be a string"),
        Case(pt(#""tags":{"env":{"x":"y"}}"#), "points[0].tags.env", "must be a string"),
    ]

    static let syntax: [Case] = [
        Case("", "body", "at byte 0: unexpected end of input"),
        Case("   ", "body", "at byte 3: unexpected end of input"),
        Case("x", "body", "at byte 0: expected '{'"),
        Case(#"{"points":[]} x"#, "body", "at byte 14: unexpected data after the top-level object"),
        Case(#"{"points":[]}{}"#, "body", "at byte 13: unexpected data"),
        Case(#"{"points":[],}"#, "body", "at byte 13: expected a string key"),
        Case(#"{"points":[] "a":1}"#, "body", "at byte 13: expected ',' or '}'"),
        Case(#"{"points" []}"#, "body", "at byte 10: expected ':'"),
        Case(#"{points:[]}"#, "body", "at byte 1: expected a string key"),
        Case(#"{'points':[]}"#, "body", "expected a string key"),
        Case(#"{"points":[,]}"#, "body", "at byte 11: expected a JSON value"),  // not a value: syntax, not a type error
        Case(Ingest.body([ok]) + ",", "body", "unexpected data after the top-level object"),
        Case(#"{"points":[{"name":"a","kind":"gauge","value":1},]}"#, "body", "at byte 49: expected a JSON value"),
        Case(#"{"points":[{"name":"a","kind":"gauge","value":1,}]}"#, "body", "at byte 48: expected a string key"),
        Case(#"{"points":[{"name":"a","kind":"gauge","value":1}}"#, "body", "expected ',' or ']'"),
        Case(#"{"points":[],"x":tru}"#, "body", "at byte 17: expected 'true'"),
        Case(#"{"points":[],"x":nul}"#, "body", "expected 'null'"),
        Case(#"{"points":[],"x":True}"#, "body", "expected a JSON value"),
        Case(#"{"points":[],"x":NaN}"#, "body", "expected a JSON value"),
        Case(#"{"points":[],"x":Infinity}"#, "body", "expected a JSON value"),
        Case(#"{"points":[],"x":undefined}"#, "body", "expected a JSON value"),
        Case(val("NaN"), "body", "expected a JSON value"),
        Case(val("-Infinity"), "body", "expected a digit"),
        Case(val("+1"), "body", "expected a JSON value"),
        Case(val(".5"), "body", "expected a JSON value"),
        Case(val("01"), "body", "leading zeros are not allowed"),
        Case(val("-01"), "body", "leading zeros are not allowed"),
        Case(val("0x10"), "body", "expected ',' or '}'"),
        Case(val("1."), "body", "expected a digit after '.'"),
        Case(val("1.e5"), "body", "expected a digit after '.'"),
        Case(val("1e"), "body", "expected a digit in exponent"),
        Case(val("1e+"), "body", "expected a digit in exponent"),
        Case(val("-"), "body", "expected a digit"),
        Case(val("1 2"), "body", "expected ',' or '}'"),
        Case(name("tab\there"), "body", "control character in string"),
        Case(name("nl\nhere"), "body", "control character in string"),
        Case(name(#"bad\x"#), "body", "invalid escape sequence"),
        Case(name(#"bad\'"#), "body", "invalid escape sequence"),
        Case(name(#"\u12"#), "body", "invalid hex digit in \\u escape"),
        Case(name(#"\u12G4"#), "body", "invalid hex digit"),
        Case(name(#"\ud83d"#), "body", "lone surrogate"),
        Case(name(#"\ud83dx"#), "body", "lone surrogate"),
        Case(name(#"\ud83d\u0041"#), "body", "lone surrogate"),
        Case(name(#"\ude00"#), "body", "lone surrogate"),
        Case(name(#"\ud83d\ud83d"#), "body", "lone surrogate"),
        Case(#"{"points":[],"x":"abc"#, "body", "unterminated string"),
        Case(#"{"points":[],"x":"abc\"#, "body", "unterminated string"),
        Case(#"{"points":[],"x":"\u00"#, "body", "truncated \\u escape"),
        Case(#"{"points":[],"x":"# + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}",
             "body", "nesting deeper than 64 levels"),
        Case(#"{"points":[],"x":"# + String(repeating: "{\"a\":", count: 100_000), "body", "nesting deeper than 64 levels"),
        Case(Ingest.body([#"{"name":"a","kind":"gauge","value":1,"x":"# + String(repeating: "[", count: 62) + "]}"]),
             "body", "nesting deeper than 64 levels"),
    ]

    @Test(arguments: shape + syntax)
    func rejects(_ c: Case) {
        guard case .failure(let failure) = Ingest.parse(c.body, maxPoints: 3) else {
            Issue.record("accepted: \(c.body.prefix(80))")
            return
        }
        #expect(failure.field == c.field)
        #expect(failure.message.contains(c.message), "\(failure.message)")
    }

    /// Invalid UTF-8 can't be written in a Swift String literal, so these are byte tables.
    static let badUTF8: [[UInt8]] = [
        [0x80], [0xBF], [0xC0, 0xAF], [0xC1, 0xBF],          // stray continuation, overlong 2-byte
        [0xC3], [0xE4, 0xB8], [0xF0, 0x9F, 0x98],            // truncated sequences
        [0xE0, 0x80, 0xAF], [0xF0, 0x80, 0x80, 0xAF],        // overlong 3/4-byte
        [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],              // UTF-8-encoded surrogates
        [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],  // above U+10FFFF
        [0xFE], [0xFF], [0xC3, 0x28], [0xE4, 0xB8, 0x41],    // invalid bytes, bad continuation
    ]

    @Test(arguments: badUTF8)
    func rejectsInvalidUTF8(_ bad: [UInt8]) {
        for (prefix, suffix) in [(#"{"points":[{"name":"x"#, #"","kind":"g","value":1}]}"#), (#"{"points":[],"x\u0041"#, #"":1}"#),
                                 (#"{"points":[],"x":"\n"#, #""}"#)] {
            let body = Array(prefix.utf8) + bad + Array(suffix.utf8)
            guard case .failure(let failure) = Ingest.parse(body) else { Issue.record("accepted \(bad)"); continue }
            #expect(failure.field == "body")
            #expect(failure.message.contains("at byte \(prefix.utf8.count): invalid UTF-8 in string"), "\(failure.message)")
        }
    }

    /// Byte order marks other than UTF-8's, and a BOM anywhere but byte 0, are errors.
    @Test(arguments: [[0xFE, 0xFF], [0xFF, 0xFE], [0x20, 0xEF, 0xBB, 0xBF], [0xEF, 0xBB]] as [[UInt8]])
    func rejectsOtherBOMs(_ prefix: [UInt8]) {
        let result = Ingest.parse(prefix + Array(#"{"points":[]}"#.utf8))
        guard case .failure(let failure) = result else { Issue.record("accepted"); return }
        #expect(failure.field == "body")
    }
}
