import Foundation

/// Maps a positive magnitude x to the logarithmic bucket i = ⌈log_γ x⌉, which covers
/// (γ^(i-1), γ^i], and back to the bucket's representative 2γ^i/(γ+1). Every x in the bucket
/// is within relative distance (γ-1)/(γ+1) of the representative.
///
/// γ is derived from a slightly smaller accuracy than the one stated (α·(1-1e-7)), so that a
/// value rounded into a neighbouring bucket by floating-point error in `log`, or an
/// interpolation's rounding, still stays within the stated α.
struct SketchIndexMapping: Sendable, Equatable {
    let relativeAccuracy: Double
    let gamma: Double
    let lnGamma: Double
    let multiplier: Double
    /// Indexes of the smallest and largest finite positive doubles: all a bucket can be.
    let minIndex: Int
    let maxIndex: Int

    init(relativeAccuracy: Double) {
        self.relativeAccuracy = relativeAccuracy
        let a = relativeAccuracy * (1 - 1e-7)
        gamma = (1 + a) / (1 - a)
        lnGamma = log1p(2 * a / (1 - a))
        multiplier = 1 / lnGamma
        minIndex = Int((log(Double.leastNonzeroMagnitude) * multiplier).rounded(.up))
        maxIndex = Int((log(Double.greatestFiniteMagnitude) * multiplier).rounded(.up))
    }

    /// Bucket index of a finite `magnitude` > 0.
    @inline(__always)
    func index(_ magnitude: Double) -> Int {
        Int((log(magnitude) * multiplier).rounded(.up))
    }

    /// Representative value of bucket `index` (may overflow to +inf or underflow to 0 at the
    /// extremes; callers clamp to the exact min and max).
    func value(_ index: Int) -> Double {
        exp(Double(index) * lnGamma) * (2 / (1 + gamma))
    }
}
