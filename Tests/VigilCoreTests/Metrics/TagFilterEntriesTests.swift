import Testing
@testable import VigilCore

@Suite("tag=<name>=<value> filters")
struct TagFilterEntriesTests {
    @Test(arguments: [
        (["status=500"], [:], ["status": "500"]),
        (["endpoint=/a=b"], [:], ["endpoint": "/a=b"]),                 // the value keeps later '='
        (["ns:key=v"], [:], ["ns:key": "v"]),                           // names may hold ':'
        (["status="], [:], ["status": ""]),                             // an empty value is a value
        (["status=500", "status=404"], [:], ["status": "404"]),         // last one wins
        (["status=500"], ["status": "200", "env": "prod"], ["status": "500", "env": "prod"]),
        ([], ["env": "prod"], ["env": "prod"]),
    ] as [([String], [String: String], [String: String])])
    func merges(entries: [String], legacy: [String: String], expected: [String: String]) throws {
        #expect(try TagFilterEntries.merge(entries, over: legacy) == expected)
    }

    @Test(arguments: ["status", "=500", "", "status:500"])
    func refusesEntriesWithoutAName(entry: String) {
        #expect(throws: ValidationFailure.self) { try TagFilterEntries.merge([entry], over: [:]) }
    }

    @Test func refusesMoreFiltersThanAPointCanCarry() {
        let entries = (0...IngestLimits.default.maxTagsPerPoint).map { "t\($0)=v" }
        #expect(throws: ValidationFailure.self) { try TagFilterEntries.merge(entries, over: [:]) }
        #expect((try? TagFilterEntries.merge(Array(entries.dropLast()), over: [:]))?.count == IngestLimits.default.maxTagsPerPoint)
    }
}
