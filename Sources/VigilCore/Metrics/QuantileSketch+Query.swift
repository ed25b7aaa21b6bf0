extension QuantileSketch {
    /// The q-quantile (0 ≤ q ≤ 1) with the error bound stated on the type; nil when empty or
    /// q is outside [0, 1]. quantile(0) is the exact min and quantile(1) the exact max.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0, q >= 0, q <= 1 else { return nil }
        let h = q * Double(count - 1)
        let lo = Swift.min(Int(h.rounded(.down)), count - 1)
        let f = h - Double(lo)
        var (low, high) = valuesAtRanks(lo, lo + 1)
        // The extreme ranks are known exactly.
        if lo == 0 { low = minValue }
        if lo == count - 1 { low = maxValue }
        if lo + 1 == count - 1 { high = maxValue }
        guard f > 0, let high else { return low }
        // percentile_cont's formula; the convex form only where the difference overflows.
        let span = high - low
        return span.isFinite ? low + span * f : low * (1 - f) + high * f
    }

    /// p50/p95/p99 with exact count, sum, min and max.
    public func stats() -> MetricStats {
        MetricStats(count: count, sum: sum, min: min, max: max,
                    p50: quantile(0.5), p95: quantile(0.95), p99: quantile(0.99))
    }

    /// Estimates of the order statistics at 0-based ranks `r` and `s` (r < s; `s` nil when past
    /// the end), clamped to the exact [min, max], found in one walk in ascending value order.
    func valuesAtRanks(_ r: Int, _ s: Int) -> (Double, Double?) {
        var first: Double?
        var second: Double?
        var seen = 0
        // Returns true once both ranks are found.
        func visit(_ bucketCount: Int, _ index: Int, sign: Double) -> Bool {
            seen += bucketCount
            guard seen > r else { return false }
            let value = sign == 0 ? 0 : clamp(sign * mapping.value(index))
            if first == nil { first = value }
            if seen > s { second = value; return true }
            return false
        }
        let neg = negative, pos = positive
        // Negative values: largest magnitude (most negative) first.
        for k in stride(from: neg.counts.count - 1, through: 0, by: -1) where neg.counts[k] != 0 {
            if visit(neg.counts[k], neg.offset + k, sign: -1) { return (first!, second) }
        }
        if zeroCount > 0, visit(zeroCount, 0, sign: 0) { return (first!, second) }
        for k in 0..<pos.counts.count where pos.counts[k] != 0 {
            if visit(pos.counts[k], pos.offset + k, sign: 1) { return (first!, second) }
        }
        return (first ?? maxValue, second)
    }

    private func clamp(_ v: Double) -> Double {
        Swift.min(Swift.max(v, minValue), maxValue)
    }
}
