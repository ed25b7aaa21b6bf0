import Foundation
import VigilCore

/// Deterministic synthetic series for judging the detectors: 14 days of 15-minute buckets of a
/// known shape with anomalies injected at known buckets of the second week (the first is
/// history for the seasonal baseline).
struct SyntheticSeries {
    enum Shape: String, CaseIterable {
        case steady, noisy, dailyCycle = "daily cycle", slowDrift = "slow drift", stepChange = "step change", gaps
    }

    static let bucketSeconds = 900
    static let perDay = 96
    static let days = 14
    static var count: Int { perDay * days }
    static var evaluated: Range<Int> { (perDay * 7)..<count }

    var shape: Shape
    var values: [Double?]
    /// Buckets that are anomalies (a detector should flag them).
    var anomalies: Set<Int>
    /// Buckets not scored either way: the return to normal right after an injected anomaly.
    var neutral: Set<Int>

    static func make(_ shape: Shape, seed: UInt64 = 42) -> SyntheticSeries {
        var random = MetricsTestRNG(seed: seed &+ UInt64(Shape.allCases.firstIndex(of: shape)!) &* 7_919)
        let noise: Double
        var values: [Double?] = []
        switch shape {
        case .steady: noise = 1
        case .noisy: noise = 15
        case .dailyCycle, .gaps: noise = 5
        case .slowDrift, .stepChange: noise = 3
        }
        for index in 0..<count {
            var level = 100.0
            switch shape {
            case .dailyCycle, .gaps: level += 50 * sin(2 * .pi * Double(index % perDay) / Double(perDay))
            case .slowDrift: level += 20 * Double(index) / Double(count)
            case .stepChange where index >= 1_000: level += 60
            default: break
            }
            values.append(level + noise * random.normal())
        }
        // Eight anomalies of ±10σ, spread over the second week, clear of the step.
        var anomalies = Set<Int>(), neutral = Set<Int>()
        var position = evaluated.lowerBound + 20
        for k in 0..<8 {
            if shape == .stepChange && (995..<1_010).contains(position) { position += 20 }
            values[position] = values[position]! + (k % 2 == 0 ? 10 : -10) * noise
            anomalies.insert(position)
            neutral.insert(position + 1)
            position += 70 + Int(random.next() % 10)
        }
        if shape == .stepChange { anomalies.formUnion(1_000..<1_004) }
        if shape == .gaps {
            for index in 0..<count where random.next() % 10 == 0 && !anomalies.contains(index) { values[index] = nil }
        }
        return SyntheticSeries(shape: shape, values: values, anomalies: anomalies, neutral: neutral)
    }
}

/// Precision and recall of one detector configuration on one series.
struct DetectionScore {
    var truePositives = 0
    var falsePositives = 0
    var anomalies = 0

    var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
    var recall: Double { anomalies == 0 ? 1 : Double(truePositives) / Double(anomalies) }

    static func measure(_ series: SyntheticSeries, detectors: Set<AnomalyDetectorKind>, baseline: AnomalyBaselineKind,
                        sensitivity: AnomalySensitivity = .medium) -> DetectionScore {
        var score = DetectionScore()
        score.anomalies = series.anomalies.count
        for index in SyntheticSeries.evaluated where !series.neutral.contains(index) {
            guard AnomalyBaseline.scan(series.values, at: index, detectors: detectors, baseline: baseline, sensitivity: sensitivity,
                                       bucketSeconds: SyntheticSeries.bucketSeconds) != nil else { continue }
            if series.anomalies.contains(index) { score.truePositives += 1 } else { score.falsePositives += 1 }
        }
        return score
    }
}
