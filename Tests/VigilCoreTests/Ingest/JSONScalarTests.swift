import Foundation
import Testing
@testable import VigilCore

/// Number conversion and string decoding, checked against the stdlib / Foundation.
struct JSONScalarTests {
    static func value(_ text: String) -> Result<[RawMetricPoint], ValidationFailure> {
        Ingest.parse(Ingest.body([#"{"name":"a","kind":"g","value":"# + text + "}"]))
    }

    /// Every JSON number must convert exactly as `Double(String)` (correctly rounded strtod) does.
    @Test(arguments: [
        "0", "-0", "1", "-1", "0.1", "0.3", "123.456", "9007199254740992", "9007199254740993", "18446744073709551615",
        "18446744073709551616", "0.000001", "1e22", "1e23", "1e-22", "1e-23", "2.2250738585072011e-308",
        "4.9e-324", "2e-324", "1.7976931348623157e308", "1.7976931348623158e308", "0.1e1", "100e-2",
        "123456789012345678901234567890e-10", "0.00000000000000000000000000001", "3.14159265358979323846264338327950288",
        "1E5", "1e+05", "-9.87654321e-7", "12345678901234567890.123456789", "0.0000000000000000000000000000",
    ])
    func numbersMatchStrtod(_ text: String) throws {
        let points = try Ingest.parse(Ingest.body([#"{"name":"a","kind":"g","value":"# + text + "}"])).get()
        let expected = try #require(Double(text))
        #expect(points[0].value.bitPattern == expected.bitPattern, "\(text)")
    }

    /// Random numbers in many shapes, exercising both the fast path and the strtod fallback.
    @Test func randomNumbersMatchStrtod() throws {
        var rng = Ingest.SplitMix(state: 7)
        for _ in 0..<5_000 {
            var text = Bool.random(using: &rng) ? "-" : ""
            let intDigits = Int.random(in: 1...22, using: &rng)
            text += String(Int.random(in: 1...9, using: &rng))
            for _ in 1..<intDigits { text += String(Int.random(in: 0...9, using: &rng)) }
            if Bool.random(using: &rng) {
                text += "."
                for _ in 0..<Int.random(in: 1...20, using: &rng) { text += String(Int.random(in: 0...9, using: &rng)) }
            }
            if Bool.random(using: &rng) { text += "e\(Int.random(in: -330...310, using: &rng))" }
            let expected = try #require(Double(text))
            switch Self.value(text) {
            case .success(let points): #expect(points[0].value.bitPattern == expected.bitPattern, "\(text)")
            case .failure(let failure): #expect(!expected.isFinite && failure.message.contains("finite"), "\(text)")
            }
        }
    }

    /// Strings round-trip: encode random Unicode with Foundation's JSONEncoder-free escaping rules
    /// (JSONSerialization), parse it back, and compare.
    @Test func randomStringsRoundTrip() throws {
        var rng = Ingest.SplitMix(state: 11)
        let pools: [ClosedRange<UInt32>] = [0x20...0x7E, 0x0...0x1F, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF]
        for _ in 0..<1_000 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...20, using: &rng) {
                let pool = pools.randomElement(using: &rng)!
                scalars.append(Unicode.Scalar(UInt32.random(in: pool, using: &rng))!)
            }
            let s = String(scalars)
            let data = try JSONSerialization.data(withJSONObject: ["points": [["name": s, "kind": "g", "value": 1, "tags": [s: s]]]])
            let points = try MetricBatchJSON.parse(Array(data), maxPoints: 1)
            #expect(points[0].name == s)
            #expect(points[0].tags == [s: s])
        }
    }

    /// Hand-escaped forms JSONSerialization never produces: every code unit as \uXXXX, upper and lower hex.
    @Test(arguments: ["é", "中", "😀", "a\u{0}b", "\u{FFFF}", "\u{10FFFF}", "\u{7F}"])
    func fullyEscapedStrings(_ s: String) throws {
        for upper in [false, true] {
            let escaped = s.utf16.map { String(format: upper ? "\\u%04X" : "\\u%04x", $0) }.joined()
            let points = try Ingest.parse(Ingest.body([#"{"name":""# + escaped + #"","kind":"g","value":1}"#])).get()
            #expect(points[0].name == s)
        }
    }
}
