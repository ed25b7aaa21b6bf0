import Foundation

/// One series' current value for Prometheus export, as the storage side computed it.
/// The value's case decides the metric type, so a kind and a value cannot disagree.
public struct PrometheusSample: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        /// Running total of a counter's increments (exported as `counter`, name `…_total`).
        case counter(total: Double)
        /// Last value of a gauge (exported as `gauge`).
        case gauge(Double)
        /// Distribution of a timing (exported as `summary`: p50/p95/p99, `_sum`, `_count`).
        case timing(MetricStats)
    }

    /// The metric name as ingested (e.g. `http.request.duration`); sanitized on export.
    public var name: String
    /// Tags as ingested; names sanitized and values escaped on export.
    public var labels: [String: String]
    public var value: Value
    /// Optional sample time, written in milliseconds since the Unix epoch.
    public var timestamp: Date?

    public init(name: String, labels: [String: String] = [:], value: Value, timestamp: Date? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    public var kind: MetricKind {
        switch value {
        case .counter: .counter
        case .gauge: .gauge
        case .timing: .timing
        }
    }
}
