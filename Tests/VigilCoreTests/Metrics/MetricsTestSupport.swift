import Foundation
import Testing

/// Deterministic random numbers for metrics property tests (SplitMix64), so a failure
/// reproduces exactly.
struct MetricsTestRNG: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Double {
        let u = Swift.max(unit(), .leastNormalMagnitude)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * unit())
    }
}

/// Value distributions the sketch must handle.
enum SketchDistribution: String, CaseIterable, CustomTestStringConvertible {
    case uniform, lognormal, bimodal, constant, negative, mixedSign, withZeros, wideRange, tiny, huge, integers

    var testDescription: String { rawValue }

    func values(_ n: Int, seed: UInt64) -> [Double] {
        var rng = MetricsTestRNG(seed: seed)
        return (0..<n).map { _ in
            switch self {
            case .uniform: return 1 + rng.unit() * 999
            case .lognormal: return exp(3 + 1.5 * rng.normal())  // latency-like, long tail
            case .bimodal: return rng.unit() < 0.8 ? 10 + rng.normal() : 900 + 50 * rng.normal()
            case .constant: return 42.5
            case .negative: return -exp(2 * rng.normal())
            case .mixedSign: return 100 * rng.normal()
            case .withZeros: return rng.unit() < 0.3 ? 0 : rng.unit() * 10
            // 17 decades: inside one sign's default 2048 buckets (≈ 6e17), so nothing collapses.
            case .wideRange: return pow(10, -9 + 17 * rng.unit())
            case .tiny: return pow(10, -310 + 5 * rng.unit())  // down into subnormals
            case .huge: return pow(10, 300 + 8.2 * rng.unit()) // up to near Double.greatestFiniteMagnitude
            case .integers: return Double(Int(rng.unit() * 1000))
            }
        }
    }
}

/// The exact quantile the sketch's bound is stated against: linear interpolation between the
/// order statistics at 0-based positions ⌊q(n−1)⌋ and ⌈q(n−1)⌉ — PostgreSQL's percentile_cont.
/// Returns the quantile and the bound's scale (1−f)|x_lo| + f|x_hi|.
func exactQuantile(_ sorted: [Double], _ q: Double) -> (value: Double, scale: Double) {
    let h = q * Double(sorted.count - 1)
    let lo = Int(h.rounded(.down))
    let f = h - Double(lo)
    let xlo = sorted[lo]
    guard f > 0 else { return (xlo, abs(xlo)) }
    let xhi = sorted[lo + 1]
    return (xlo + (xhi - xlo) * f, (1 - f) * abs(xlo) + f * abs(xhi))
}
