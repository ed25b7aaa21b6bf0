import Foundation
import Testing
import VigilCore

struct AnomalyDetectorsTests {
    static let baseline: [Double] = [10, 11, 9, 10, 12, 8, 10, 11, 9, 10]

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var detector: AnomalyDetectorKind
        var value: Double
        var previous: Double?
        var direction: AnomalyDirection?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "z-score: within 3σ", detector: .zscore, value: 13, previous: nil, direction: nil),
        Case(name: "z-score: far above", detector: .zscore, value: 20, previous: nil, direction: .above),
        Case(name: "z-score: far below", detector: .zscore, value: 1, previous: nil, direction: .below),
        Case(name: "IQR: inside the fences", detector: .iqr, value: 12, previous: nil, direction: nil),
        Case(name: "IQR: above the upper fence", detector: .iqr, value: 16, previous: nil, direction: .above),
        Case(name: "IQR: below the lower fence", detector: .iqr, value: 4, previous: nil, direction: .below),
        Case(name: "spike: a 1.5× step is not 2×", detector: .spike, value: 15, previous: 10, direction: nil),
        Case(name: "spike: a 2× step up", detector: .spike, value: 20, previous: 10, direction: .above),
        Case(name: "spike: a drop to half", detector: .spike, value: 5, previous: 10, direction: .below),
        Case(name: "spike: no previous value", detector: .spike, value: 50, previous: nil, direction: nil),
        Case(name: "spike: 0 → 0.5 is noise near zero", detector: .spike, value: 0.5, previous: 0, direction: nil),
    ]

    @Test(arguments: cases)
    func detects(_ c: Case) {
        let finding: AnomalyFinding?
        switch c.detector {
        case .zscore: finding = AnomalyDetectors.zScore(c.value, baseline: Self.baseline, sensitivity: .medium)
        case .iqr: finding = AnomalyDetectors.iqr(c.value, baseline: Self.baseline, sensitivity: .medium)
        case .spike: finding = AnomalyDetectors.spike(c.value, previous: c.previous, sensitivity: .medium)
        }
        #expect(finding?.direction == c.direction)
        if let finding { #expect(finding.score >= 1 && finding.detector == c.detector) }
    }

    @Test func aSteadyBaselineDoesNotMakeFloatNoiseAnAnomaly() {
        let steady = Array(repeating: 100.0, count: 20)
        #expect(AnomalyDetectors.zScore(100.000001, baseline: steady, sensitivity: .high) == nil)
        #expect(AnomalyDetectors.zScore(101, baseline: steady, sensitivity: .medium)?.direction == .above)
    }

    @Test func tooShortABaselineJudgesNothing() {
        #expect(AnomalyDetectors.zScore(1_000, baseline: [1, 2, 3], sensitivity: .high) == nil)
        #expect(AnomalyDetectors.iqr(1_000, baseline: [1, 2, 3], sensitivity: .high) == nil)
    }

    @Test(arguments: [(1.2, AlertSeverity.low), (2.5, .medium), (4, .high), (7, .critical)])
    func severityGrowsWithTheScore(_ score: Double, _ severity: AlertSeverity) {
        #expect(AnomalyFinding(detector: .zscore, value: 0, expected: 0, direction: .above, score: score).severity == severity)
    }

    @Test func sensitivityMovesTheThreshold() {
        #expect(AnomalyDetectors.zScore(14, baseline: Self.baseline, sensitivity: .high) != nil)
        #expect(AnomalyDetectors.zScore(14, baseline: Self.baseline, sensitivity: .low) == nil)
    }

    @Test func theSeasonalBaselineReadsTheSameTimeOnEarlierDays() {
        let perDay = 96
        var series: [Double?] = Array(repeating: 1, count: perDay * 8)
        for day in 0..<7 { series[day * perDay + 50] = 500 }
        let values = AnomalyBaseline.values(series, at: 7 * perDay + 50, kind: .seasonal, bucketSeconds: 900)
        #expect(values.count == 21)
        #expect(values.filter { $0 == 500 }.count == 7)
        #expect(AnomalyBaseline.values(series, at: 20, kind: .trailing, bucketSeconds: 900).count == 16)
    }
}
