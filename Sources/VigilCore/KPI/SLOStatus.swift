/// An SLO's health for summaries and the digest.
public enum SLOStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Compliance at or above the objective, at least `atRiskBelow` of the budget left.
    case healthy
    /// Still meeting the objective, but little budget left.
    case atRisk = "at_risk"
    /// Below the objective: the budget is overspent.
    case breached
    /// No events in the window.
    case noData = "no_data"

    /// Below 25 % of the budget left is at risk.
    public static let defaultAtRiskBelow = 0.25

    public static func evaluate(_ counts: SLOCounts, objectivePercent: Double, atRiskBelow: Double = defaultAtRiskBelow) -> SLOStatus {
        guard SLOMath.compliance(counts) != nil else { return .noData }
        let remaining = SLOMath.budgetRemaining(counts, objectivePercent: objectivePercent)
        if !SLOMath.reaches(remaining, 0) { return .breached }
        return SLOMath.reaches(remaining, atRiskBelow) ? .healthy : .atRisk
    }
}
