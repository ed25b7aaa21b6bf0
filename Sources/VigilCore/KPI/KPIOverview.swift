/// One KPI as `GET …/kpis` and the digest show it: current value, target, status and the
/// change against the previous period, all in stored units (see `KPIDefinition.displayScale`).
public struct KPIOverview: Sendable, Equatable {
    public var key: String
    public var name: String
    public var unit: String
    public var value: Double?
    public var target: Double?
    public var status: KPIStatus
    public var trend: Trend
    public var assessment: Trend.Assessment?

    public init(key: String, name: String, unit: String, value: Double?, target: Double?, status: KPIStatus,
                trend: Trend, assessment: Trend.Assessment?) {
        self.key = key
        self.name = name
        self.unit = unit
        self.value = value
        self.target = target
        self.status = status
        self.trend = trend
        self.assessment = assessment
    }

    /// From the partials of the current and the previous period (merged from rollups).
    public static func make(definition: KPIDefinition, current: KPIPartial, previous: KPIPartial) -> KPIOverview {
        let value = current.value(for: definition.aggregation)
        let trend = Trend.compare(current: value, previous: previous.value(for: definition.aggregation))
        return KPIOverview(key: definition.key, name: definition.name, unit: definition.unit, value: value,
                           target: definition.target,
                           status: KPIStatus.evaluate(value: value, target: definition.target, direction: definition.direction),
                           trend: trend, assessment: trend.assessment(for: definition.direction))
    }
}
