import Foundation
import Testing
import VigilCore

struct StormGuardTests {
    @Test(arguments: [
        (1, 10, StormGuard.Decision.notifyIndividually),
        (10, 10, .notifyIndividually),
        (11, 10, .suppressIntoSummary(startsSummary: true)),
        (12, 10, .suppressIntoSummary(startsSummary: false)),
        (500, 10, .suppressIntoSummary(startsSummary: false)),
        (1, 1, .notifyIndividually),
        (2, 1, .suppressIntoSummary(startsSummary: true)),
        (1, 0, .notifyIndividually),                          // threshold clamped to 1
        (2, -5, .suppressIntoSummary(startsSummary: true)),
    ])
    func decisions(ordinal: Int, threshold: Int, expected: StormGuard.Decision) {
        #expect(StormGuard.decide(ordinal: ordinal, threshold: threshold) == expected)
    }

    @Test func defaultThresholdIsTen() {
        #expect(StormGuard.decide(ordinal: 10) == .notifyIndividually)
        #expect(StormGuard.decide(ordinal: 11) == .suppressIntoSummary(startsSummary: true))
        let decisions = (1...25).map { StormGuard.decide(ordinal: $0) }
        #expect(decisions.filter { $0 == .suppressIntoSummary(startsSummary: true) }.count == 1)   // one summary
    }

    @Test(arguments: [(1_735_689_600.0, Int64(28_928_160)), (1_735_689_659.999, 28_928_160), (1_735_689_660, 28_928_161), (-1, -1)])
    func minutes(epoch: TimeInterval, minute: Int64) {
        #expect(StormGuard.minute(containing: Date(timeIntervalSince1970: epoch)) == minute)
    }

    @Test func summaryIsDueAtTheEndOfTheMinute() {
        #expect(StormGuard.summaryDue(forMinute: 28_928_160) == Date(timeIntervalSince1970: 1_735_689_660))
    }

    @Test func summaryCountsAndOrdersGroups() {
        let keys = ["b"] + Array(repeating: "a", count: 3) + Array(repeating: "c", count: 3) + ["d", "e", "d"]
        let summary = StormSummary(groupKeys: keys, top: 3)
        #expect(summary.totalCount == 10)
        #expect(summary.topGroups == [.init(key: "a", count: 3), .init(key: "c", count: 3), .init(key: "d", count: 2)])
        #expect(summary.otherGroupCount == 2)
        #expect(StormSummary(groupKeys: keys.reversed(), top: 3) == summary)   // input order does not matter
    }

    @Test(arguments: [(0, 0, 3), (2, 2, 1), (3, 3, 0), (10, 3, 0), (-1, 0, 3)])
    func summaryEdges(top: Int, listed: Int, others: Int) {
        let summary = StormSummary(groupKeys: ["z", "y", "x"], top: top)
        #expect(summary.topGroups.map(\.key) == Array(["x", "y", "z"].prefix(listed)))   // ties by key
        #expect(summary.otherGroupCount == others)
    }

    @Test func emptySummary() {
        let summary = StormSummary(groupKeys: [])
        #expect(summary.totalCount == 0 && summary.topGroups.isEmpty && summary.otherGroupCount == 0)
    }
}
