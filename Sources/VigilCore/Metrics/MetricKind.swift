/// What a metric point means, which decides how Vigil aggregates and exports it.
public enum MetricKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// An increment (a delta, >= 0) of something that only goes up: requests served, bytes sent.
    /// Vigil sums increments; Prometheus export shows the running total as a `counter`.
    case counter
    /// A level sampled at a moment (queue depth, temperature); may be negative.
    case gauge
    /// A duration (>= 0) of one event; Vigil keeps its distribution (quantiles) per series.
    case timing
}
