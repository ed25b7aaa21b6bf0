import Foundation
import Testing
@testable import VigilCore

struct CanonicalJSONTests {
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

    static let times: [(TimeInterval, String)] = [
        (0, "1970-01-01T00:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (1.9, "1970-01-01T00:00:01Z"),
        (1_800_000_000, "2027-01-15T08:00:00Z"),
        (4_102_444_799, "2099-12-31T23:59:59Z"),
    ]

    @Test(arguments: times.indices)
    func timestamps(index: Int) {
        let (seconds, expected) = Self.times[index]
        let text = ComplianceTime.format(Date(timeIntervalSince1970: seconds))
        #expect(text == expected)
        #expect(RFC3339.parse(text) == ComplianceTime.truncated(Date(timeIntervalSince1970: seconds)))
    }
}
