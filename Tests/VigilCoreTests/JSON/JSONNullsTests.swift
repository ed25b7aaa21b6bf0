import Foundation
import Testing
import VigilCore

struct JSONNullsTests {
    // (body, whether a null literal appears outside strings, the null paths)
    static let cases: [(String, Bool, [String])] = [
        (#"{"a":1,"b":"x"}"#, false, []),
        (#"{"a":null}"#, true, ["a"]),
        (#"{"note":"null","n":"nul","x":"a\"null"}"#, false, []),
        (#"{"s":"\\","b":null}"#, true, ["b"]),
        (#"{"levels":[{"delay":0,"ids":null},{"ids":["x"]}]}"#, true, ["levels[].ids"]),
        (#"{"a":{"b":{"c":null}},"d":[null,1]}"#, true, ["a.b.c", "d[]"]),
        (#"[1, nnull]"#, true, []),  // the scan is a prefilter; invalid JSON has no paths
        (#"{"a":nul}"#, false, []),
        (#"{"nullable":true,"a":"b"}"#, false, []),
        ("null", true, [""]),
    ]

    @Test(arguments: cases.indices)
    func findsNullsOutsideStrings(index: Int) {
        let (body, mayContain, paths) = Self.cases[index]
        #expect(JSONNulls.mayContain(Array(body.utf8)) == mayContain, "\(body)")
        #expect(JSONNulls.paths(in: Data(body.utf8)) == paths, "\(body)")
    }
}
