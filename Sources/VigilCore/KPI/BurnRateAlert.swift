/// The alert a burn-rate decision raises, fed to the alerts pipeline.
///
/// Deduplication is by SLO: the fingerprint is the client dedup key `slo:<id>:burn`, so while
/// the alert is open, every hourly evaluation that still burns folds into it (one alert, one
/// notification). `plan(decision:burn6h:openAlertSeverity:)` also keeps the worker from resubmitting
/// while nothing changed.
public struct BurnRateAlert: Sendable, Equatable {
    public var dedupKey: String
    public var severity: AlertSeverity
    public var title: String
    public var message: String
    public var source: String
    public var labels: [String: String]

    public static let source = "slo"

    /// `slo:<id>:burn`.
    public static func dedupKey(sloID: String) -> String { "slo:\(sloID):burn" }

    /// nil for `.none`.
    public static func make(sloID: String, sloName: String, decision: BurnRateDecision, burn1h: Double, burn6h: Double,
                            budgetRemaining: Double, objectivePercent: Double, window: SLOWindow) -> BurnRateAlert? {
        guard let severity = decision.severity else { return nil }
        let speed = decision == .page ? "fast" : "elevated"
        let title = NotifyText.truncated("SLO \(sloName): error budget burning \(speed)", maxScalars: 200)
        let message = "Burn rate \(DashboardMath.format(burn1h)) over the last hour and \(DashboardMath.format(burn6h)) over the last 6 hours "
            + "(1 = spending the budget exactly by the end of the window). "
            + "Objective \(DashboardMath.format(objectivePercent, places: 3))% over \(window.rawValue); "
            + "\(DashboardMath.format(budgetRemaining * 100, places: 1))% of the error budget remains."
        return BurnRateAlert(dedupKey: dedupKey(sloID: sloID), severity: severity, title: title, message: message,
                             source: source,
                             labels: ["slo_id": sloID, "burn_decision": decision.rawValue, "slo_window": window.rawValue])
    }

    /// What the worker does with an evaluation, given the SLO's open burn alert (if any).
    public enum Plan: Sendable, Equatable {
        /// Nothing burning and nothing open, or already alerting at this severity or higher.
        case nothing
        /// Raise the alert (no open one).
        case trigger
        /// An open alert has a lower severity than the decision (ticket became page): raise the
        /// open alert's severity and notify, rather than fold silently into it.
        case escalate
        /// The burn stopped: resolve the open alert.
        case resolve
    }

    /// An open alert resolves only once the 6 h burn rate is below this (spending no faster
    /// than sustainable), not as soon as the decision drops to none: hysteresis, so an SLO
    /// hovering at a threshold does not open and resolve an alert every hour.
    public static let resolveBelowBurn6h = 1.0

    public static func plan(decision: BurnRateDecision, burn6h: Double?, openAlertSeverity: AlertSeverity?) -> Plan {
        switch (decision.severity, openAlertSeverity) {
        case (nil, nil): return .nothing
        case (nil, _?):
            let burn = burn6h.flatMap { $0.isNaN ? nil : $0 } ?? 0
            return burn < resolveBelowBurn6h ? .resolve : .nothing
        case (_?, nil): return .trigger
        case (let wanted?, let open?): return wanted > open ? .escalate : .nothing
        }
    }
}
