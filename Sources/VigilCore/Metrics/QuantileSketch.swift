import Foundation

/// A mergeable quantile sketch (DDSketch-style logarithmic buckets) for per-minute rollups.
///
/// **Error bound.** Let x₍₀₎ ≤ … ≤ x₍ₙ₋₁₎ be the added values, h = q·(n−1), lo = ⌊h⌋, f = h − lo.
/// The exact quantile is q* = x₍lo₎ + f·(x₍lo+1₎ − x₍lo₎): linear interpolation between
/// order statistics, the definition of PostgreSQL `percentile_cont` (and numpy's default).
/// `quantile(q)` returns q̂ with
///
///     |q̂ − q*| ≤ α·((1−f)·|x₍lo₎| + f·|x₍lo+1₎|)
///
/// which is **|q̂ − q*| ≤ α·|q*|** whenever x₍lo₎ and x₍lo+1₎ do not have opposite signs
/// (always for timings and counters); across a sign change it is ≤ α·max(|x₍lo₎|, |x₍lo+1₎|).
/// At f = 0 (e.g. q = 0, q = 1, or PostgreSQL `percentile_disc`-like ranks) q* is the order
/// statistic itself. The bound holds while no bucket has collapsed (see below); α defaults to 0.01.
///
/// Why it holds: each order statistic is estimated by its bucket's representative, within
/// α relative of it, then clamped to the exact [min, max]; interpolating two such estimates
/// with the same f keeps the error a convex combination of the two errors.
///
/// **Range.** Zero (and −0) has its own exact bucket; positive and negative values have one
/// store each, indexed by magnitude, covering every finite double including subnormals. Each
/// store keeps at most `maxBucketsPerSign` consecutive buckets (default 2048, a dynamic range
/// of γ^2048 ≈ 6·10¹⁷ per sign, e.g. 1 ns to 19 years); values smaller in magnitude than that
/// below their sign's largest collapse into its lowest kept bucket, where only the clamping
/// to min bounds their error. The range is γ^maxBuckets with ln γ ≈ 2α, so a finer α needs
/// proportionally more buckets for the same range (α = 0.001 → about 20,000 for 6·10¹⁷).
/// Count, sum, min and max are exact (sum up to float rounding).
/// Non-finite values are ignored: the ingest validator rejects them before they get here.
public struct QuantileSketch: Sendable {
    public static let defaultRelativeAccuracy = 0.01
    public static let defaultMaxBucketsPerSign = 2048
    /// Accepted relative accuracies (init traps outside it; decoding rejects).
    public static let relativeAccuracyRange: ClosedRange<Double> = 0.0001...0.5
    /// Accepted bucket limits per sign (init clamps into it; decoding rejects outside it).
    public static let maxBucketsRange: ClosedRange<Int> = 1...65_536

    let mapping: SketchIndexMapping
    var positive: SketchBucketStore
    var negative: SketchBucketStore
    var zeroCount = 0
    public internal(set) var count = 0
    public internal(set) var sum = 0.0
    /// Exact smallest and largest added value; nil when empty.
    public var min: Double? { count > 0 ? minValue : nil }
    public var max: Double? { count > 0 ? maxValue : nil }
    var minValue = Double.infinity
    var maxValue = -Double.infinity

    /// The stated relative accuracy α.
    public var relativeAccuracy: Double { mapping.relativeAccuracy }
    public var maxBucketsPerSign: Int { positive.maxBuckets }

    public init(relativeAccuracy: Double = defaultRelativeAccuracy, maxBucketsPerSign: Int = defaultMaxBucketsPerSign) {
        precondition(Self.relativeAccuracyRange.contains(relativeAccuracy), "relative accuracy out of range")
        let limit = Swift.min(Swift.max(maxBucketsPerSign, Self.maxBucketsRange.lowerBound), Self.maxBucketsRange.upperBound)
        mapping = SketchIndexMapping(relativeAccuracy: relativeAccuracy)
        positive = SketchBucketStore(maxBuckets: limit)
        negative = SketchBucketStore(maxBuckets: limit)
    }

    public var isEmpty: Bool { count == 0 }

    /// Adds one value.
    @inlinable
    public mutating func add(_ value: Double) {
        add(value, count: 1)
    }

    /// Adds `value` `count` times (a no-op for count <= 0 or a non-finite value).
    public mutating func add(_ value: Double, count n: Int) {
        guard n > 0, value.isFinite else { return }
        if value > 0 {
            positive.add(index: mapping.index(value), count: n)
        } else if value < 0 {
            negative.add(index: mapping.index(-value), count: n)
        } else {
            zeroCount &+= n
        }
        let v = value == 0 ? 0 : value  // fold -0 into 0
        count &+= n
        sum += n == 1 ? v : v * Double(n)
        if v < minValue { minValue = v }
        if v > maxValue { maxValue = v }
    }

    /// Adds everything in `other`. With the same accuracy this is exact: the result equals a
    /// sketch that was given all values of both. With a different accuracy each of `other`'s
    /// buckets is re-added at its representative, so errors add up (about α + α_other).
    public mutating func merge(_ other: QuantileSketch) {
        guard other.count > 0 else { return }
        if other.mapping == mapping {
            positive.merge(other.positive)
            negative.merge(other.negative)
        } else {
            other.positive.forEachNonZero { i, c in positive.add(index: mapping.index(other.mapping.value(i)), count: c) }
            other.negative.forEachNonZero { i, c in negative.add(index: mapping.index(other.mapping.value(i)), count: c) }
        }
        zeroCount &+= other.zeroCount
        count &+= other.count
        sum += other.sum
        minValue = Swift.min(minValue, other.minValue)
        maxValue = Swift.max(maxValue, other.maxValue)
    }

    /// Combines any number of sketches (e.g. per-minute rollups into a window).
    public static func merged<S: Sequence>(_ sketches: S, relativeAccuracy: Double = defaultRelativeAccuracy) -> QuantileSketch
    where S.Element == QuantileSketch {
        var result = QuantileSketch(relativeAccuracy: relativeAccuracy)
        for sketch in sketches { result.merge(sketch) }
        return result
    }
}
