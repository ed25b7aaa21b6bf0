/// When an SLO's burn rate pages or opens a ticket.
///
/// The worker evaluates every SLO hourly over two windows, the last 1 h and the last 6 h
/// (the SRE workbook's finer 5 min / 30 min windows would need a finer schedule). The scheme,
/// with budgets as fractions of a 30-day budget (the workbook's reference):
///
/// | decision | condition                                   | meaning                                   |
/// |----------|---------------------------------------------|-------------------------------------------|
/// | page     | 1h ≥ 14.4 **and** 6h ≥ 6                    | 2 % of the budget gone in the last hour, and 5 % over 6 h: fast *and* sustained |
/// | ticket   | 1h ≥ 14.4 (6h below 6)                      | a fast burn not (yet) sustained: a blip, or an outage in its first hour |
/// | ticket   | 6h ≥ 6 (1h below 14.4)                      | a significant burn that has slowed down   |
/// | ticket   | 1h ≥ 3 **and** 6h ≥ 3                       | a steady 3× burn (budget gone in 10 days), still going |
/// | none     | otherwise                                   |                                           |
///
/// Page is checked first; every page condition is also a ticket condition, and each condition
/// only asks for burn rates *at least* some value, so raising either burn rate never lowers
/// the decision. Requiring the 6 h window for a page keeps a single bad hour of moderate size
/// from paging at night, while a real outage still pages within the hour: all errors against
/// a 99.9 % SLO for 10 minutes is a 1 h burn of 167 and a 6 h burn of 28.
///
/// Burn rates are window-independent ratios, so the same thresholds apply to every SLO window.
/// A nil burn rate (no traffic in the window) counts as 0. Comparisons allow
/// `SLOMath.tolerance`, so a hand-computed 14.4 is 14.4.
public enum BurnRatePolicy {
    public static let pageBurn1h = 14.4
    public static let pageBurn6h = 6.0
    public static let ticketBurn1hFast = 14.4
    public static let ticketBurn6h = 6.0
    public static let ticketSteadyBurn = 3.0

    /// The two windows' lengths, in seconds.
    public static let shortWindow: Double = 3600
    public static let longWindow: Double = 6 * 3600

    public static func evaluate(burn1h: Double?, burn6h: Double?) -> BurnRateDecision {
        let short = finite(burn1h), long = finite(burn6h)
        if SLOMath.reaches(short, pageBurn1h) && SLOMath.reaches(long, pageBurn6h) { return .page }
        if SLOMath.reaches(short, ticketBurn1hFast) || SLOMath.reaches(long, ticketBurn6h)
            || (SLOMath.reaches(short, ticketSteadyBurn) && SLOMath.reaches(long, ticketSteadyBurn)) {
            return .ticket
        }
        return .none
    }

    /// Burn rates from the two windows' counts.
    public static func evaluate(last1h: SLOCounts, last6h: SLOCounts, objectivePercent: Double) -> BurnRateDecision {
        evaluate(burn1h: SLOMath.burnRate(last1h, objectivePercent: objectivePercent),
                 burn6h: SLOMath.burnRate(last6h, objectivePercent: objectivePercent))
    }

    /// NaN and nil are 0 (no evidence of burning); +∞ (all bad against a 0 budget) stays.
    private static func finite(_ burn: Double?) -> Double {
        guard let burn, !burn.isNaN else { return 0 }
        return burn
    }
}
