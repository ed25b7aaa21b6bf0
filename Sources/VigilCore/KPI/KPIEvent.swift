import Foundation

/// One recorded value of a KPI (`POST …/kpis/{key}/events`).
public struct KPIEvent: Sendable, Equatable {
    public var kpiKey: String
    /// For ratio KPIs: which side the value feeds (`numerator`, `denominator`, or the
    /// definition's stream names). Must be nil for other kinds.
    public var stream: String?
    /// The value; `count` KPIs ignore it, so clients may send 1.
    public var value: Double
    public var timestamp: Date
    public var dimensions: [String: String]

    public init(kpiKey: String, stream: String? = nil, value: Double = 1, timestamp: Date, dimensions: [String: String] = [:]) {
        self.kpiKey = kpiKey
        self.stream = stream
        self.value = value
        self.timestamp = timestamp
        self.dimensions = dimensions
    }

    /// Checks the event against its KPI. `now` comes from the caller (no clock here).
    public func validate(against definition: KPIDefinition, now: Date, limits: KPIEventLimits = .default) -> ValidationFailure? {
        if kpiKey != definition.key {
            return ValidationFailure(field: "kpi", message: "the event is for '\(kpiKey.prefix(63))', not '\(definition.key)'")
        }
        if !value.isFinite || abs(value) > limits.maxAbsValue {
            return ValidationFailure(field: "value", message: "value must be a finite number of magnitude at most \(limits.maxAbsValue)")
        }
        switch definition.aggregation {
        case .ratio(let numerator, let denominator):
            if definition.aggregation.role(ofStream: stream) == nil {
                return ValidationFailure(field: "stream",
                                         message: "a ratio KPI's events need stream '\(numerator)' or '\(denominator)' (or numerator / denominator)")
            }
        default:
            if stream != nil {
                return ValidationFailure(field: "stream", message: "stream applies only to ratio KPIs")
            }
        }
        let age = now.timeIntervalSince(timestamp)
        if !age.isFinite || age > limits.maxAge {
            return ValidationFailure(field: "timestamp", message: "timestamp is older than \(Int(limits.maxAge / 86_400)) days")
        }
        if -age > limits.maxFutureSkew {
            return ValidationFailure(field: "timestamp", message: "timestamp is more than \(Int(limits.maxFutureSkew)) seconds in the future")
        }
        return KPIDimensions.validate(dimensions)
    }
}

/// Bounds on incoming events. Late events are accepted up to `maxAge` (their day and month
/// rollups are recomputed, see `RollupInvalidation`); beyond it the rollups are final.
public struct KPIEventLimits: Sendable, Equatable {
    public var maxAge: TimeInterval
    /// Clock skew allowed between client and server.
    public var maxFutureSkew: TimeInterval
    /// Larger magnitudes are unit mistakes, not business values; the bound also keeps sums of
    /// millions of events far from overflowing to infinity.
    public var maxAbsValue: Double

    public init(maxAge: TimeInterval = 90 * 86_400, maxFutureSkew: TimeInterval = 300, maxAbsValue: Double = 1e15) {
        self.maxAge = maxAge
        self.maxFutureSkew = maxFutureSkew
        self.maxAbsValue = maxAbsValue
    }

    public static let `default` = KPIEventLimits()
}
