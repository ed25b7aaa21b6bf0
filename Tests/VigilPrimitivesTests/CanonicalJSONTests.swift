import Foundation
import Testing
import VigilPrimitives

/// The one deterministic JSON writer, in both styles in use. Erasure certificate checksums
/// (RFC 8785 style) and notification payload digests (UTF-8 key order, U+2028/2029 escaped)
/// are stored, so these renderings are the bytes the writers it replaced produced, and must not
/// change.
struct CanonicalJSONTests {
    static let notification = CanonicalJSON.Style(keyOrder: .utf8, escapesLineSeparators: true)

    static let cases: [(CanonicalJSON, String)] = [
        (["b": 1, "a": [true, nil, "x"]], #"{"a":[true,null,"x"],"b":1}"#),
        (.string("a\"b\\c\n\t\u{1}/é"), #""a\"b\\c\n\t\u0001/é""#),
        (["z": 1, "é": 2, "A": 3, "_": 4], #"{"A":3,"_":4,"z":1,"é":2}"#),
        // UTF-16 order (RFC 8785), not UTF-8: U+1F600 (D83D DE00) sorts before U+FB01.
        (["\u{FB01}": 1, "😀": 2], #"{"😀":2,"ﬁ":1}"#),
        (.int(-9_007_199_254_740_993), "-9007199254740993"),
        ([:], "{}"),
        ([], "[]"),
    ]

    @Test(arguments: cases.indices)
    func rendering(index: Int) {
        let (value, expected) = Self.cases[index]
        #expect(value.text == expected)
    }

    @Test(arguments: cases.indices)
    func roundTripsThroughJSONDecoder(index: Int) throws {
        let (value, _) = Self.cases[index]
        let decoded = try JSONDecoder().decode(CanonicalJSON.self, from: Data(value.bytes))
        #expect(decoded == value)
    }

    @Test func fractionalNumbersAreRejected() {
        #expect(throws: (any Error).self) { try JSONDecoder().decode(CanonicalJSON.self, from: Data("[1.5]".utf8)) }
    }

    /// Every escape, in both styles: the styles differ only in U+2028/U+2029.
    static let escapes: [(text: String, rfc8785: String, notification: String)] = [
        ("quote\" backslash\\ slash/", #""quote\" backslash\\ slash/""#, #""quote\" backslash\\ slash/""#),
        ("\u{08}\u{0C}\n\r\t", #""\b\f\n\r\t""#, #""\b\f\n\r\t""#),
        ("\u{0}\u{1}\u{1F}\u{7F}", #""\u0000\u0001\u001f\#u{7F}""#, #""\u0000\u0001\u001f\#u{7F}""#),
        ("ls\u{2028}ps\u{2029}", "\"ls\u{2028}ps\u{2029}\"", #""ls\u2028ps\u2029""#),
        ("é ﬁ 😀 \u{2027}\u{202A}", "\"é ﬁ 😀 \u{2027}\u{202A}\"", "\"é ﬁ 😀 \u{2027}\u{202A}\""),
        ("", #""""#, #""""#),
    ]

    @Test(arguments: escapes)
    func stringEscapes(_ c: (text: String, rfc8785: String, notification: String)) throws {
        let value = CanonicalJSON.string(c.text)
        #expect(String(decoding: value.bytes(.rfc8785), as: UTF8.self) == c.rfc8785)
        #expect(String(decoding: value.bytes(Self.notification), as: UTF8.self) == c.notification)
        for style in [CanonicalJSON.Style.rfc8785, Self.notification] {  // and it is JSON that reads back
            let parsed = try JSONDecoder().decode(String.self, from: Data(value.bytes(style)))
            #expect(parsed == c.text)
        }
    }

    @Test func notificationStyleOrdersKeysByUTF8Bytes() {
        let value: CanonicalJSON = ["\u{FB01}": 1, "😀": 2, "b": .number(0.5), "a": .null]
        #expect(String(decoding: value.bytes(Self.notification), as: UTF8.self) == #"{"a":null,"b":0.5,"ﬁ":1,"😀":2}"#)
        #expect(CanonicalJSON.sortedKeys(["\u{FB01}", "😀"], .utf8) == ["\u{FB01}", "😀"])
        #expect(CanonicalJSON.sortedKeys(["\u{FB01}", "😀"], .utf16) == ["😀", "\u{FB01}"])
    }

    static let numbers: [(value: Double, text: String)] = [
        (0, "0"), (-0.0, "0"), (12, "12"), (-3, "-3"), (0.1, "0.1"), (0.9995, "0.9995"), (1e-5, "1e-05"),
        (9_007_199_254_740_991, "9007199254740991"), (9_007_199_254_740_992, "9007199254740992.0"),
        (1e300, "1e+300"), (.nan, "null"), (.infinity, "null"), (-.infinity, "null"),
    ]

    @Test(arguments: numbers)
    func numberRendering(_ c: (value: Double, text: String)) {
        #expect(CanonicalJSON.numberText(c.value) == c.text)
        #expect(CanonicalJSON.number(c.value).text == c.text)
    }

    @Test func nestedDocument() {
        let value: CanonicalJSON = ["list": [1, ["k": "v"], [], .number(1.5)], "flag": false, "none": nil]
        #expect(value.text == #"{"flag":false,"list":[1,{"k":"v"},[],1.5],"none":null}"#)
        #expect(value["list"]?.arrayValue?.count == 4)
        #expect(value["flag"] == .bool(false))
        #expect(value["missing"] == nil)
    }
}
