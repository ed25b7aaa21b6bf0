import Foundation

/// The detectors the reference systems run every 15 minutes, as pure functions of a value and
/// its baseline: z-score (3σ), IQR (1.5 × the interquartile range beyond the quartiles) and spike
/// (a 2× step from the previous value). `Sensitivity` scales all three.
public enum AnomalyDetectorKind: String, Sendable, CaseIterable, Codable {
    case zscore, iqr, spike
}

public enum AnomalySensitivity: String, Sendable, CaseIterable, Codable {
    case low, medium, high

    /// |z| at or beyond which z-score flags (the reference's 3σ is `medium`).
    public var zThreshold: Double { switch self { case .low: 4; case .medium: 3; case .high: 2.5 } }
    /// IQR fences at Q1 − k·IQR and Q3 + k·IQR (the reference's 1.5 is `medium`).
    public var iqrMultiplier: Double { switch self { case .low: 3; case .medium: 1.5; case .high: 1 } }
    /// A step of this factor from the previous value, up or down (the reference's 2× is `medium`).
    public var spikeFactor: Double { switch self { case .low: 3; case .medium: 2; case .high: 1.5 } }
}

public enum AnomalyDirection: String, Sendable, Codable {
    case above, below
}

/// What a detector found: the value, what was expected, and a score in "thresholds": 1 is just
/// at the detector's threshold, 2 twice as far, so scores compare across detectors.
public struct AnomalyFinding: Sendable, Equatable {
    public var detector: AnomalyDetectorKind
    public var value: Double
    public var expected: Double
    public var direction: AnomalyDirection
    public var score: Double

    public init(detector: AnomalyDetectorKind, value: Double, expected: Double, direction: AnomalyDirection, score: Double) {
        self.detector = detector
        self.value = value
        self.expected = expected
        self.direction = direction
        self.score = score
    }

    /// By magnitude: just past the threshold is low, twice it medium, three times high, five critical.
    public var severity: AlertSeverity {
        switch score {
        case 5...: .critical
        case 3..<5: .high
        case 2..<3: .medium
        default: .low
        }
    }
}

public enum AnomalyDetectors {
    /// Baselines smaller than this say too little to judge a value against.
    public static let minimumBaseline = 6

    /// The spread floor: a perfectly steady baseline (σ = 0) would make any change infinitely
    /// anomalous, float noise included; a thousandth of the level is the least spread assumed.
    static func spreadFloor(_ center: Double) -> Double { max(abs(center) * 0.001, 1e-9) }

    public static func zScore(_ value: Double, baseline: [Double], sensitivity: AnomalySensitivity) -> AnomalyFinding? {
        guard baseline.count >= minimumBaseline else { return nil }
        let mean = baseline.reduce(0, +) / Double(baseline.count)
        let variance = baseline.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(baseline.count - 1)
        let deviation = max(variance.squareRoot(), spreadFloor(mean))
        let z = (value - mean) / deviation
        guard abs(z) >= sensitivity.zThreshold else { return nil }
        return AnomalyFinding(detector: .zscore, value: value, expected: mean, direction: z > 0 ? .above : .below,
                              score: abs(z) / sensitivity.zThreshold)
    }

    public static func iqr(_ value: Double, baseline: [Double], sensitivity: AnomalySensitivity) -> AnomalyFinding? {
        guard baseline.count >= minimumBaseline else { return nil }
        let sorted = baseline.sorted()
        let q1 = quantile(sorted, 0.25), q3 = quantile(sorted, 0.75), median = quantile(sorted, 0.5)
        let spread = max(q3 - q1, spreadFloor(median))
        let reach = sensitivity.iqrMultiplier * spread
        if value > q3 + reach {
            return AnomalyFinding(detector: .iqr, value: value, expected: median, direction: .above, score: (value - q3) / reach)
        }
        if value < q1 - reach {
            return AnomalyFinding(detector: .iqr, value: value, expected: median, direction: .below, score: (q1 - value) / reach)
        }
        return nil
    }

    /// A step of `spikeFactor` or more from `previous` in either direction; values near zero
    /// (both under `floor`) are never spikes, so 0 → 1 request is not a page.
    public static func spike(_ value: Double, previous: Double?, sensitivity: AnomalySensitivity, floor: Double = 1) -> AnomalyFinding? {
        guard let previous, max(abs(value), abs(previous)) >= floor else { return nil }
        let factor = sensitivity.spikeFactor
        let base = max(abs(previous), spreadFloor(previous))
        if value >= previous + (factor - 1) * base {
            return AnomalyFinding(detector: .spike, value: value, expected: previous, direction: .above,
                                  score: (value - previous) / ((factor - 1) * base))
        }
        if value > 0 || previous > 0, value <= previous / factor {
            let drop = max(abs(value), spreadFloor(previous))
            return AnomalyFinding(detector: .spike, value: value, expected: previous, direction: .below,
                                  score: previous / drop / factor)
        }
        return nil
    }

    /// Linear interpolation between closest ranks (the usual "type 7").
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard sorted.count > 1 else { return sorted.first ?? 0 }
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }
}
