import Foundation

/// Where a value's baseline comes from, over a series of fixed-width buckets (nil: no data).
public enum AnomalyBaselineKind: String, Sendable, CaseIterable, Codable {
    /// The previous `trailingBuckets` buckets.
    case trailing
    /// The same time of day on each of the previous 7 days, with the bucket on either side:
    /// a daily cycle's peak is compared with earlier peaks, not with the night before it.
    case seasonal
}

public enum AnomalyBaseline {
    /// Four hours of 15-minute buckets.
    public static let trailingBuckets = 16
    public static let seasonalDays = 7

    /// The baseline values for bucket `index` of `series` (buckets of `bucketSeconds`).
    public static func values(_ series: [Double?], at index: Int, kind: AnomalyBaselineKind, bucketSeconds: Int) -> [Double] {
        switch kind {
        case .trailing:
            return series[max(0, index - trailingBuckets)..<index].compactMap { $0 }
        case .seasonal:
            let perDay = 86_400 / bucketSeconds
            var values: [Double] = []
            for day in 1...seasonalDays {
                let center = index - day * perDay
                for offset in -1...1 where center + offset >= 0 && center + offset < index {
                    if let value = series[center + offset] { values.append(value) }
                }
            }
            return values
        }
    }

    /// The previous bucket with data (what `spike` compares with).
    public static func previous(_ series: [Double?], before index: Int) -> Double? {
        var cursor = index - 1
        while cursor >= 0 {
            if let value = series[cursor] { return value }
            cursor -= 1
        }
        return nil
    }

    /// Every enabled detector on bucket `index`; the highest-scoring finding, if any.
    public static func scan(_ series: [Double?], at index: Int, detectors: Set<AnomalyDetectorKind>, baseline kind: AnomalyBaselineKind,
                            sensitivity: AnomalySensitivity, bucketSeconds: Int) -> AnomalyFinding? {
        guard let value = series[index] else { return nil }
        let reference = values(series, at: index, kind: kind, bucketSeconds: bucketSeconds)
        var findings: [AnomalyFinding] = []
        if detectors.contains(.zscore), let found = AnomalyDetectors.zScore(value, baseline: reference, sensitivity: sensitivity) { findings.append(found) }
        if detectors.contains(.iqr), let found = AnomalyDetectors.iqr(value, baseline: reference, sensitivity: sensitivity) { findings.append(found) }
        if detectors.contains(.spike),
           let found = AnomalyDetectors.spike(value, previous: previous(series, before: index), sensitivity: sensitivity) { findings.append(found) }
        return findings.max { $0.score < $1.score }
    }
}
