import Foundation
import Testing
import VigilCore

struct QuantileSketchMergeTests {
    static let quantiles = stride(from: 0.0, through: 1.0, by: 0.01).map { $0 }

    /// Merging per-part sketches answers exactly what one sketch of all values answers.
    @Test(arguments: SketchDistribution.allCases, [2, 7])
    func mergeEqualsAddAll(distribution: SketchDistribution, parts: Int) {
        let values = distribution.values(20_000, seed: 99)
        var all = QuantileSketch()
        for v in values { all.add(v) }
        var pieces = Array(repeating: QuantileSketch(), count: parts)
        for (i, v) in values.enumerated() { pieces[(i * 31) % parts].add(v) }
        let merged = QuantileSketch.merged(pieces)
        #expect(merged.count == all.count && merged.min == all.min && merged.max == all.max)
        if all.sum.isFinite {
            #expect(abs(merged.sum - all.sum) <= 1e-9 * values.reduce(0) { $0 + abs($1) })
        } else {
            #expect(merged.sum == all.sum)  // sums of ~1e308 values overflow to +inf either way
        }
        for q in Self.quantiles { #expect(merged.quantile(q) == all.quantile(q), "q=\(q)") }
    }

    /// With integer values sums are exact in any order, so the sketches are byte-identical.
    @Test func mergeIsByteIdenticalForExactSums() {
        let values = SketchDistribution.integers.values(5_000, seed: 5) + [-3, 0, -1_000]
        var all = QuantileSketch(), a = QuantileSketch(), b = QuantileSketch()
        for (i, v) in values.enumerated() {
            all.add(v)
            if i % 3 == 0 { a.add(v) } else { b.add(v) }
        }
        var ab = a
        ab.merge(b)
        var ba = b
        ba.merge(a)
        #expect(ab == all)
        #expect(ba == all)
        #expect(ab.encoded() == all.encoded())
    }

    @Test func mergingEmptySketchesChangesNothing() {
        var a = QuantileSketch()
        a.add(1)
        let before = a
        a.merge(QuantileSketch())
        #expect(a == before)
        var empty = QuantileSketch()
        empty.merge(before)
        #expect(empty == before)
    }

    /// Collapse is order-independent: merging collapsed parts equals collapsing everything.
    @Test func collapseRuleCommutesWithMerge() {
        let values = (0..<3_000).map { pow(10, Double(($0 * 7919) % 3_000) / 300) }  // 1 … 1e10, shuffled
        var all = QuantileSketch(maxBucketsPerSign: 100)
        for v in values { all.add(v) }
        var low = QuantileSketch(maxBucketsPerSign: 100), high = QuantileSketch(maxBucketsPerSign: 100)
        for v in values { if v < 1e5 { low.add(v) } else { high.add(v) } }
        var lh = low
        lh.merge(high)
        var hl = high
        hl.merge(low)
        for q in Self.quantiles {
            #expect(lh.quantile(q) == all.quantile(q))
            #expect(hl.quantile(q) == all.quantile(q))
        }
    }

    /// Sketches of another accuracy merge by re-adding representatives; errors add up.
    @Test func mergeAcrossAccuraciesStaysWithinSummedBound() throws {
        let values = SketchDistribution.lognormal.values(10_000, seed: 8)
        var fine = QuantileSketch(relativeAccuracy: 0.01), coarse = QuantileSketch(relativeAccuracy: 0.02)
        for (i, v) in values.enumerated() { if i.isMultiple(of: 2) { fine.add(v) } else { coarse.add(v) } }
        fine.merge(coarse)
        let sorted = values.sorted()
        #expect(fine.count == values.count)
        for q in [0.5, 0.95, 0.99] {
            let exact = exactQuantile(sorted, q)
            #expect(abs(try #require(fine.quantile(q)) - exact.value) <= 0.031 * exact.scale)
        }
    }
}
