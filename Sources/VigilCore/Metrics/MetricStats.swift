/// The statistics Vigil answers for a set of metric points: what `…/stats` returns per group,
/// what dashboards read, and what series buckets carry. Quantiles come from the quantile
/// sketch, so they carry its relative-error bound; count, sum, min and max are exact.
public struct MetricStats: Sendable, Equatable, Codable {
    public var count: Int
    public var sum: Double
    public var min: Double?
    public var max: Double?
    public var p50: Double?
    public var p95: Double?
    public var p99: Double?

    /// nil when there are no points: a mean of nothing is not zero.
    public var mean: Double? { count > 0 ? sum / Double(count) : nil }

    public init(count: Int, sum: Double, min: Double?, max: Double?, p50: Double?, p95: Double?, p99: Double?) {
        self.count = count
        self.sum = sum
        self.min = min
        self.max = max
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
    }

    public static let empty = MetricStats(count: 0, sum: 0, min: nil, max: nil, p50: nil, p95: nil, p99: nil)
}
