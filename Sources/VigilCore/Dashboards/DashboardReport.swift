import Foundation

/// What every dashboard result offers besides its statistics, so alerts and KPIs can read
/// recommendations and SLO compliance without knowing the dashboard.
public protocol DashboardResult: Encodable, Sendable {
    var dashboard: DashboardID { get }
    var slo: [SLOCheck] { get }
    var recommendations: [Recommendation] { get }
}

/// How urgent a recommendation is (lower-case in JSON, as the reference systems' `level`).
public enum RecommendationLevel: String, Codable, Sendable, Comparable, CaseIterable {
    case info, warning, critical

    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
    private var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
}

/// Advice attached to a dashboard: `{"level","message","action"}` as in the reference
/// systems (monitoring-enhancements.md, the `recommendations` arrays).
public struct Recommendation: Codable, Sendable, Equatable {
    public var level: RecommendationLevel
    /// What was observed, with the figure that triggered it.
    public var message: String
    /// What to do about it.
    public var action: String

    public init(level: RecommendationLevel, message: String, action: String) {
        self.level = level
        self.message = message
        self.action = action
    }
}

/// A service-level objective checked against an observed value: `actual` and `met` are null
/// when there was no data, because an objective cannot be met or missed by nothing.
public struct SLOCheck: Codable, Sendable, Equatable {
    /// How `actual` must compare with `target` for the objective to be met.
    public enum Comparison: String, Codable, Sendable {
        case lessThan = "lt", atMost = "lte", atLeast = "gte", greaterThan = "gt"

        public func holds(_ actual: Double, _ target: Double) -> Bool {
            switch self {
            case .lessThan: actual < target
            case .atMost: actual <= target
            case .atLeast: actual >= target
            case .greaterThan: actual > target
            }
        }
    }

    /// Names carry their unit: `p95_execution_time_ms`, `duplicate_rate_percent`.
    public var name: String
    public var comparison: Comparison
    public var target: Double
    @ExplicitNull public var actual: Double?
    @ExplicitNull public var met: Bool?

    public init(name: String, comparison: Comparison, target: Double, actual: Double?) {
        self.name = name
        self.comparison = comparison
        self.target = target
        let usable = actual.flatMap { $0.isFinite ? $0 : nil }
        self.actual = usable
        self.met = usable.map { comparison.holds($0, target) }
    }

    /// All checks with data met → true; any missed → false; otherwise (no data) → null.
    public static func overall(_ checks: [SLOCheck]) -> Bool? {
        let known = checks.compactMap(\.met)
        if known.contains(false) { return false }
        return known.isEmpty || known.count < checks.count ? nil : true
    }
}

/// A traffic-light status with an explicit "no data" instead of a made-up healthy.
public enum DashboardHealthStatus: String, Codable, Sendable, CaseIterable {
    case healthy, warning, critical
    case noData = "no_data"
}

/// The distribution of a measurement over the window, in the unit named by the field that
/// holds it. `mean` is what the reference GraphQL dashboard calls `avg`.
public struct DistributionSummary: Codable, Sendable, Equatable {
    public var count: Int
    @ExplicitNull public var mean: Double?
    @ExplicitNull public var min: Double?
    @ExplicitNull public var p50: Double?
    @ExplicitNull public var p95: Double?
    @ExplicitNull public var p99: Double?
    @ExplicitNull public var max: Double?

    /// `scale` converts units (0.001 turns milliseconds into seconds).
    public init(_ stats: MetricStats, scale: Double = 1) {
        func scaled(_ value: Double?) -> Double? { value.map { $0 * scale } }
        count = stats.count
        mean = scaled(stats.mean)
        min = scaled(stats.min)
        p50 = scaled(stats.p50)
        p95 = scaled(stats.p95)
        p99 = scaled(stats.p99)
        max = scaled(stats.max)
    }
}

/// Encodes nil as JSON `null` rather than leaving the key out, so a response has the same
/// keys whether or not there was data.
@propertyWrapper
public struct ExplicitNull<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}
