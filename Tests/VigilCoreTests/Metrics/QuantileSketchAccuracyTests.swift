import Foundation
import Testing
import VigilCore

/// The stated bound, checked against exact (percentile_cont-style) quantiles of the same data.
struct QuantileSketchAccuracyTests {
    static let quantiles = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]

    @Test(arguments: SketchDistribution.allCases, [1, 2, 3, 10, 1_001, 50_000])
    func boundHoldsAgainstInterpolatedQuantile(distribution: SketchDistribution, n: Int) throws {
        let values = distribution.values(n, seed: UInt64(n) &* 7919)
        var sketch = QuantileSketch()
        for v in values { sketch.add(v) }
        let sorted = values.sorted()
        for q in Self.quantiles {
            let exact = exactQuantile(sorted, q)
            let estimate = try #require(sketch.quantile(q))
            #expect(abs(estimate - exact.value) <= sketch.relativeAccuracy * exact.scale,
                    "q=\(q) exact=\(exact.value) estimate=\(estimate)")
            if exact.scale == abs(exact.value) || distribution != .mixedSign {
                // Same-sign neighbours: the plain relative bound.
                #expect(abs(estimate - exact.value) <= 0.01 * abs(exact.value), "q=\(q)")
            }
        }
    }

    @Test(arguments: SketchDistribution.allCases)
    func countSumMinMaxAreExact(distribution: SketchDistribution) throws {
        let values = distribution.values(10_000, seed: 3)
        var sketch = QuantileSketch()
        for v in values { sketch.add(v) }
        #expect(sketch.count == values.count)
        #expect(sketch.sum == values.reduce(0, +))
        #expect(sketch.min == values.min())
        #expect(sketch.max == values.max())
        #expect(sketch.quantile(0) == values.min())
        #expect(sketch.quantile(1) == values.max())
        let stats = sketch.stats()
        #expect(stats.count == values.count && stats.min == values.min() && stats.max == values.max())
        #expect(stats.p50 == sketch.quantile(0.5) && stats.p95 == sketch.quantile(0.95) && stats.p99 == sketch.quantile(0.99))
    }

    /// A finer α needs more buckets for the same dynamic range (γ^maxBuckets), so these
    /// sketches get a larger limit: lognormal data here spans about 10 decades.
    @Test(arguments: [0.001, 0.005, 0.02, 0.05])
    func otherAccuraciesKeepTheirBound(alpha: Double) throws {
        let values = SketchDistribution.lognormal.values(20_000, seed: 11)
        var sketch = QuantileSketch(relativeAccuracy: alpha, maxBucketsPerSign: 65_536)
        for v in values { sketch.add(v) }
        let sorted = values.sorted()
        for q in Self.quantiles {
            let exact = exactQuantile(sorted, q)
            #expect(abs(try #require(sketch.quantile(q)) - exact.value) <= alpha * exact.scale)
        }
    }

    @Test func emptyAndOutOfRange() {
        var sketch = QuantileSketch()
        #expect(sketch.quantile(0.5) == nil)
        #expect(sketch.min == nil && sketch.max == nil && sketch.count == 0 && sketch.sum == 0)
        #expect(sketch.stats() == .empty)
        sketch.add(5)
        #expect(sketch.quantile(-0.1) == nil)
        #expect(sketch.quantile(1.1) == nil)
        #expect(sketch.quantile(.nan) == nil)
        #expect(sketch.quantile(0.3) == 5)
    }

    @Test func nonFiniteAndNonPositiveCountsAreIgnored() {
        var sketch = QuantileSketch()
        sketch.add(.nan)
        sketch.add(.infinity)
        sketch.add(-.infinity)
        sketch.add(3, count: 0)
        sketch.add(3, count: -4)
        #expect(sketch.isEmpty)
        sketch.add(-0.0)
        #expect(sketch.min == 0 && sketch.min!.sign == .plus)
    }

    @Test func addWithCountEqualsRepeatedAdd() {
        var once = QuantileSketch(), repeated = QuantileSketch()
        once.add(7.25, count: 1_000)
        once.add(-2, count: 3)
        for _ in 0..<1_000 { repeated.add(7.25) }
        for _ in 0..<3 { repeated.add(-2) }
        #expect(once == repeated)
        #expect(once.sum == 7.25 * 1_000 - 6)
    }

    /// Beyond γ^maxBuckets of dynamic range in one sign, the smallest magnitudes collapse;
    /// the tail keeps its accuracy and count/min/max stay exact.
    @Test func collapsingKeepsTheHighQuantilesAccurate() throws {
        var sketch = QuantileSketch(maxBucketsPerSign: 64)  // covers a factor γ^64 ≈ 3.6
        let values = (0..<10_000).map { pow(10, Double($0) / 2_000) }  // 1 … 1e5
        for v in values { sketch.add(v) }
        #expect(sketch.count == values.count && sketch.min == 1 && sketch.max == values.last)
        let sorted = values.sorted()
        for q in [0.9, 0.95, 0.99, 0.999] {
            let exact = exactQuantile(sorted, q)
            #expect(abs(try #require(sketch.quantile(q)) - exact.value) <= 0.01 * exact.value)
        }
        // Collapsed: the median is overestimated, but never above the kept floor.
        #expect(try #require(sketch.quantile(0.5)) >= exactQuantile(sorted, 0.5).value)
        #expect(sketch.encoded().count < 64 * 4 + 64)
    }

    @Test func extremeMagnitudesDoNotBreakAnything() throws {
        var sketch = QuantileSketch(maxBucketsPerSign: 65_536)
        let values = [Double.leastNonzeroMagnitude, .leastNormalMagnitude, 1, .greatestFiniteMagnitude,
                      -.greatestFiniteMagnitude, -.leastNonzeroMagnitude, 0]
        for v in values { sketch.add(v) }
        #expect(sketch.quantile(0) == -.greatestFiniteMagnitude)
        #expect(sketch.quantile(1) == .greatestFiniteMagnitude)
        for q in stride(from: 0.0, through: 1.0, by: 0.05) {
            let v = try #require(sketch.quantile(q))
            #expect(v.isFinite)
        }
        #expect(try QuantileSketch(decoding: sketch.encoded()) == sketch)
    }
}
