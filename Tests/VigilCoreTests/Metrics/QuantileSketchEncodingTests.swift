import Foundation
import Testing
import VigilCore

struct QuantileSketchEncodingTests {
    @Test(arguments: SketchDistribution.allCases)
    func roundTrip(distribution: SketchDistribution) throws {
        var sketch = QuantileSketch()
        for v in distribution.values(5_000, seed: 21) { sketch.add(v) }
        let bytes = sketch.encoded()
        let decoded = try QuantileSketch(decoding: bytes)
        #expect(decoded == sketch)
        #expect(decoded.encoded() == bytes)
        #expect(decoded.stats() == sketch.stats())
        #expect(decoded.sum == sketch.sum && decoded.relativeAccuracy == sketch.relativeAccuracy)
    }

    @Test func emptyRoundTripAndCompactness() throws {
        let empty = QuantileSketch()
        #expect(empty.encoded().count == 1 + 8 + 2 + 1 + 1 + 1 + 1)
        #expect(try QuantileSketch(decoding: empty.encoded()) == empty)
        var latency = QuantileSketch()
        for v in SketchDistribution.lognormal.values(100_000, seed: 1) { latency.add(v) }
        // ~450 non-zero buckets at 1 byte delta + 1–3 bytes count.
        #expect(latency.encoded().count < 2_000)
    }

    /// The exact bytes of a small sketch, pinned: stored rollups must stay readable.
    @Test func formatIsPinned() throws {
        var sketch = QuantileSketch()
        sketch.add(1)       // bucket ⌈ln 1 / ln γ⌉ = 0
        sketch.add(-1)      // negative store, bucket 0
        sketch.add(0, count: 2)
        sketch.add(100)     // bucket ⌈ln 100 / ln γ⌉ = ⌈230.26⌉ = 231
        let alpha: [UInt8] = [0x7B, 0x14, 0xAE, 0x47, 0xE1, 0x7A, 0x84, 0x3F]  // 0.01 LE
        let sum: [UInt8] = [0, 0, 0, 0, 0, 0, 0x59, 0x40]                       // 100.0
        let min: [UInt8] = [0, 0, 0, 0, 0, 0, 0xF0, 0xBF]                       // -1.0
        let max: [UInt8] = sum                                                   // 100.0
        let expected: [UInt8] = [1] + alpha
            + [0x80, 0x10]          // max buckets 2048 as LEB128
            + [5] + sum + min + max // count, then the exact sum/min/max
            + [2]                   // zero count
            + [2, 0, 1, 0xE7, 0x01, 1]  // positive: 2 bins; index 0 (zigzag 0) ×1; delta 231 ×1
            + [1, 0, 1]             // negative: 1 bin; index 0 ×1
        #expect(sketch.encoded() == expected)
        #expect(try QuantileSketch(decoding: expected) == sketch)
    }

    @Test(arguments: [
        ([], QuantileSketchDecodingError.truncated),
        ([2], .unsupportedVersion(2)),
        ([1, 0, 0], .truncated),
    ] as [([UInt8], QuantileSketchDecodingError)])
    func rejectsObviousGarbage(bytes: [UInt8], error: QuantileSketchDecodingError) {
        #expect(throws: error) { try QuantileSketch(decoding: bytes) }
    }

    @Test func rejectsInconsistentSketches() {
        var sketch = QuantileSketch()
        sketch.add(3)
        sketch.add(5)
        let good = sketch.encoded()
        #expect(throws: QuantileSketchDecodingError.self) { try QuantileSketch(decoding: good + [0]) }  // trailing
        var wrongCount = good
        wrongCount[11] = 3  // count 2 → 3
        #expect(throws: QuantileSketchDecodingError.self) { try QuantileSketch(decoding: wrongCount) }
        var badAccuracy = good
        badAccuracy.replaceSubrange(1...8, with: withUnsafeBytes(of: Double.nan.bitPattern.littleEndian, Array.init))
        #expect(throws: QuantileSketchDecodingError.self) { try QuantileSketch(decoding: badAccuracy) }
    }

    /// Random bytes and mutated valid encodings never crash the decoder; whatever decodes is
    /// a consistent sketch that round-trips and answers queries.
    @Test func fuzzDecoding() throws {
        var rng = MetricsTestRNG(seed: 0xF022)
        var seeds: [[UInt8]] = []
        for d in SketchDistribution.allCases {
            var s = QuantileSketch(maxBucketsPerSign: 1 + Int(rng.next() % 300))
            for v in d.values(200, seed: rng.next()) { s.add(v) }
            seeds.append(s.encoded())
        }
        var decodedCount = 0
        for round in 0..<60_000 {
            var bytes: [UInt8]
            if round.isMultiple(of: 3) {
                bytes = (0..<Int(rng.next() % 48)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if !bytes.isEmpty && round.isMultiple(of: 2) { bytes[0] = 1 }
            } else {
                bytes = seeds[Int(rng.next() % UInt64(seeds.count))]
                for _ in 0..<(1 + Int(rng.next() % 3)) {
                    let i = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 3 {
                    case 0: bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: bytes.removeSubrange(i...)
                    default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: i)
                    }
                    if bytes.isEmpty { break }
                }
            }
            guard let sketch = try? QuantileSketch(decoding: bytes) else { continue }
            decodedCount += 1
            #expect(try QuantileSketch(decoding: sketch.encoded()) == sketch)
            for q in [0, 0.5, 0.99, 1.0] {
                if let v = sketch.quantile(q) { #expect(!v.isNaN) }
            }
        }
        #expect(decodedCount > 0)  // some mutations (e.g. of counts) still decode
    }
}
