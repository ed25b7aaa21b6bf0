import Foundation
import Testing
import VigilCore

struct PerformanceAnalysisTests {
    static func profile(_ p95: Double?, samples: Int = 100) -> LatencyProfile {
        LatencyProfile(samples: samples, p50: p95.map { $0 / 2 }, p95: p95, p99: p95.map { $0 * 1.5 })
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var baseline: LatencyProfile
        var current: LatencyProfile
        var verdict: PerformanceVerdict
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "25 % slower is a regression", baseline: profile(200), current: profile(250), verdict: .regression),
        Case(name: "exactly 20 % slower is a regression", baseline: profile(200), current: profile(240), verdict: .regression),
        Case(name: "10 % slower is stable", baseline: profile(200), current: profile(220), verdict: .stable),
        Case(name: "25 % faster is an improvement", baseline: profile(200), current: profile(150), verdict: .improvement),
        Case(name: "too few recent samples", baseline: profile(200), current: profile(900, samples: 5), verdict: .insufficientData),
        Case(name: "too few baseline samples", baseline: profile(200, samples: 19), current: profile(900), verdict: .insufficientData),
        Case(name: "a zero baseline says nothing", baseline: profile(0), current: profile(10), verdict: .insufficientData),
        Case(name: "no recent data", baseline: profile(200), current: profile(nil, samples: 0), verdict: .insufficientData),
    ]

    @Test(arguments: cases)
    func compares(_ c: Case) {
        let comparison = PerformanceAnalysis.compare(metric: "m", group: "/a", baseline: c.baseline, current: c.current)
        #expect(comparison.verdict == c.verdict)
        if c.verdict == .regression || c.verdict == .improvement || c.verdict == .stable {
            #expect(abs(comparison.changePercent! - ((c.current.p95! - c.baseline.p95!) / c.baseline.p95! * 100)) < 1e-9)
        }
    }

    @Test func theThresholdIsConfigurable() {
        #expect(PerformanceAnalysis.compare(metric: "m", group: "g", baseline: Self.profile(200), current: Self.profile(250), thresholdPercent: 30).verdict == .stable)
    }

    @Test func slopeIsTheLeastSquaresLine() throws {
        #expect(try #require(PerformanceAnalysis.slopePerDay([100, 110, 120, 130, nil, 150, 160])) == 10)
        #expect(PerformanceAnalysis.slopePerDay([100, nil, 120]) == nil, "two days are not a trend")
        #expect(PerformanceAnalysis.slopePerDay([5, 5, 5]) == 0)
    }

    @Test func recommendationsPutTheWorstFirstAndSayWhatToDo() {
        let big = PerformanceAnalysis.compare(metric: "http", group: "/slow", baseline: Self.profile(100), current: Self.profile(300))
        let small = PerformanceAnalysis.compare(metric: "http", group: "/meh", baseline: Self.profile(100), current: Self.profile(125))
        let better = PerformanceAnalysis.compare(metric: "http", group: "/fast", baseline: Self.profile(100), current: Self.profile(50))
        let advice = PerformanceAnalysis.recommendations([small, better, big], trends: [("http", "/creep", 8), ("http", "/flat", 1)])
        #expect(advice.map(\.level) == [.critical, .warning, .warning, .info])
        #expect(advice[0].message.contains("/slow") && advice[0].message.contains("200%"))
        #expect(advice[2].message.contains("/creep") && advice[2].message.contains("8% a day"))
        #expect(advice.allSatisfy { !$0.action.isEmpty })
        #expect(PerformanceAnalysis.recommendations([], trends: []).map(\.message) == ["No latency data to compare yet"])
    }
}
