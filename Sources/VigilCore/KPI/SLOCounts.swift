/// Good and total events over some span: the mergeable state of an SLO. Hourly counts merge
/// into the 6 h burn window, days into the 28-day window, days into a report period.
///
/// Doubles, because counter increments are doubles; merges are exact while counts stay
/// integers below 2^53.
public struct SLOCounts: Sendable, Hashable {
    public var good: Double
    public var total: Double

    public init(good: Double, total: Double) {
        self.good = good
        self.total = total
    }

    public static let zero = SLOCounts(good: 0, total: 0)

    /// total − good, never negative. Two counters scraped apart can briefly show more good
    /// than total events; that reads as no bad events, not as negative ones.
    public var bad: Double { Swift.max(total - good, 0) }

    public mutating func merge(_ other: SLOCounts) {
        good += other.good
        total += other.total
    }

    public func merging(_ other: SLOCounts) -> SLOCounts {
        SLOCounts(good: good + other.good, total: total + other.total)
    }

    public static func merged<S: Sequence>(_ counts: S) -> SLOCounts where S.Element == SLOCounts {
        counts.reduce(into: .zero) { $0.merge($1) }
    }

    /// Counts for a latency SLO from raw durations (milliseconds): good when at or under the
    /// threshold. Non-finite durations are skipped (ingest rejects them anyway).
    public static func latency<S: Sequence>(durationsMs: S, thresholdMs: Double) -> SLOCounts where S.Element == Double {
        var counts = SLOCounts.zero
        for duration in durationsMs where duration.isFinite {
            counts.total += 1
            if duration <= thresholdMs { counts.good += 1 }
        }
        return counts
    }
}
