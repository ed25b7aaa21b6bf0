/// Where a KPI stands against its target.
public enum KPIStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case onTarget = "on_target"
    case offTarget = "off_target"
    /// There is a value but no target to judge it by.
    case noTarget = "no_target"
    /// No value for the period (no events for an avg/last KPI, a ratio with no denominator).
    case noData = "no_data"

    /// Meeting the target exactly is on target in both directions. A missing (or non-finite)
    /// value is `noData` even without a target: "nothing to show" matters more than "nothing
    /// to compare with".
    public static func evaluate(value: Double?, target: Double?, direction: KPIDirection) -> KPIStatus {
        guard let value, value.isFinite else { return .noData }
        guard let target, target.isFinite else { return .noTarget }
        switch direction {
        case .higherIsBetter: return value >= target ? .onTarget : .offTarget
        case .lowerIsBetter: return value <= target ? .onTarget : .offTarget
        }
    }
}
