/// Which way a KPI should move. Decides on/off target (`KPIStatus`) and whether a change is
/// good or bad (`Trend.assessment(for:)`).
public enum KPIDirection: String, Sendable, Hashable, Codable, CaseIterable {
    /// Registrations, conversion, revenue: at or above the target is on target.
    case higherIsBetter = "higher_is_better"
    /// Churn, refunds, failed payments: at or below the target is on target.
    case lowerIsBetter = "lower_is_better"

    /// The canonical names, and the short `higher` / `lower` the issue text uses.
    public init?(parsing text: String) {
        switch text {
        case "higher_is_better", "higher": self = .higherIsBetter
        case "lower_is_better", "lower": self = .lowerIsBetter
        default: return nil
        }
    }
}
