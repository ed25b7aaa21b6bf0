/// "p95 of `http.request.duration` for `endpoint=/api/users` under 500 ms".
///
/// The SLI is event-based, as in the SRE workbook: an event is good when its duration is at or
/// under `thresholdMs` (Prometheus `le` semantics), and compliance is the fraction of good
/// events. "p95 under 500 ms" is the same statement as "at least 95 % of requests take at most
/// 500 ms", so `percentile` is the default objective (see `SLODefinition.latency`) and is kept
/// for display; the budget always follows `SLODefinition.objectivePercent`.
public struct SLOLatencyIndicator: Sendable, Equatable {
    /// A `timing` metric whose values are milliseconds.
    public var metric: String
    public var percentile: Double
    public var thresholdMs: Double
    /// Tag filters, as in metric queries (`endpoint=/api/users`).
    public var tags: [String: String]

    public static let percentileRange: ClosedRange<Double> = 50...99.99
    /// One day: anything longer is not a request latency.
    public static let maxThresholdMs = 86_400_000.0

    public init(metric: String, percentile: Double, thresholdMs: Double, tags: [String: String] = [:]) {
        self.metric = metric
        self.percentile = percentile
        self.thresholdMs = thresholdMs
        self.tags = tags
    }

    /// At or under the threshold is good.
    public func isGood(durationMs: Double) -> Bool { durationMs <= thresholdMs }

    func validate() -> ValidationFailure? {
        if let problem = MetricSelectorRules.validate(name: metric, filters: tags, groupBy: nil) {
            return ValidationFailure(field: problem.field == "name" ? "metric" : problem.field, message: problem.message)
        }
        if !percentile.isFinite || !Self.percentileRange.contains(percentile) {
            return ValidationFailure(field: "percentile", message: "percentile must be between 50 and 99.99")
        }
        if !thresholdMs.isFinite || thresholdMs <= 0 || thresholdMs > Self.maxThresholdMs {
            return ValidationFailure(field: "threshold_ms", message: "threshold_ms must be above 0 and at most \(Int(Self.maxThresholdMs))")
        }
        return nil
    }
}
