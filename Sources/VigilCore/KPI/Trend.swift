/// The change of a value against the previous period, for "change versus the previous period"
/// and the digest's trend arrows.
public struct Trend: Sendable, Equatable {
    public enum Arrow: String, Sendable, Hashable, Codable, CaseIterable {
        case up, down, flat

        /// `↑`, `↓`, `→` for text and HTML.
        public var symbol: String {
            switch self {
            case .up: "↑"
            case .down: "↓"
            case .flat: "→"
            }
        }
    }

    /// Whether a move is welcome, given the KPI's direction.
    public enum Assessment: String, Sendable, Hashable, Codable, CaseIterable {
        case good, bad, neutral
    }

    public var current: Double?
    public var previous: Double?
    /// current − previous; nil when either is missing.
    public var absoluteChange: Double?
    /// (current − previous) / |previous| × 100; nil when either is missing or previous is 0
    /// (growth from nothing has no percentage).
    public var percentChange: Double?
    /// nil when either value is missing: no arrow beats a misleading one.
    public var arrow: Arrow?

    /// Changes within max(absoluteEpsilon, relativeEpsilon × the larger magnitude) are flat,
    /// so float noise and 0.05 % wobbles do not flip arrows every day.
    public static let relativeEpsilon = 0.001
    public static let absoluteEpsilon = 1e-9

    public init(current: Double?, previous: Double?, absoluteChange: Double?, percentChange: Double?, arrow: Arrow?) {
        self.current = current
        self.previous = previous
        self.absoluteChange = absoluteChange
        self.percentChange = percentChange
        self.arrow = arrow
    }

    public static func compare(current: Double?, previous: Double?) -> Trend {
        guard let current, let previous, current.isFinite, previous.isFinite else {
            return Trend(current: current, previous: previous, absoluteChange: nil, percentChange: nil, arrow: nil)
        }
        let change = current - previous
        let percent = previous != 0 ? change / abs(previous) * 100 : nil
        let epsilon = Swift.max(absoluteEpsilon, relativeEpsilon * Swift.max(abs(current), abs(previous)))
        let arrow: Arrow = abs(change) <= epsilon ? .flat : (change > 0 ? .up : .down)
        return Trend(current: current, previous: previous, absoluteChange: change, percentChange: percent, arrow: arrow)
    }

    /// Up is good when higher is better, bad when lower is; flat is neutral; nil without an arrow.
    public func assessment(for direction: KPIDirection) -> Assessment? {
        switch (arrow, direction) {
        case (nil, _): nil
        case (.flat?, _): .neutral
        case (.up?, .higherIsBetter), (.down?, .lowerIsBetter): .good
        case (.up?, .lowerIsBetter), (.down?, .higherIsBetter): .bad
        }
    }
}
