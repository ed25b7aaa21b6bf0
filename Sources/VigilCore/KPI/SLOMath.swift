/// Compliance, error budget and burn rate (Google SRE workbook definitions). Objectives are
/// passed in percent (99.9), as stored.
///
/// With no events (total 0) nothing was measured and nothing went wrong: compliance is nil
/// (unknown, shown as "no data"), the budget remaining is 1 (untouched) and the burn rate 0.
/// So an idle service neither pages nor looks broken.
public enum SLOMath {
    /// Relative slack for threshold comparisons. Decimal objectives are not exact in binary
    /// (1 − 99.9 / 100 is 0.00099999999999989), so a series that spends exactly its budget
    /// computes as burn 1.00000000000011 and budget remaining −1.1e-13; comparisons treat
    /// values this close as equal, so that series is "exactly spent", not "breached".
    public static let tolerance = 1e-9

    /// `value >= threshold`, allowing `tolerance` relative slack.
    public static func reaches(_ value: Double, _ threshold: Double) -> Bool {
        value >= threshold - tolerance * Swift.max(abs(threshold), 1)
    }

    /// good / total (good clamped to total), nil when total is 0.
    public static func compliance(_ counts: SLOCounts) -> Double? {
        guard counts.total > 0, counts.total.isFinite else { return nil }
        return (counts.total - counts.bad) / counts.total
    }

    /// The allowed bad fraction: 1 − objective (0.001 for 99.9 %).
    public static func errorBudget(objectivePercent: Double) -> Double {
        1 - objectivePercent / 100
    }

    /// The bad fraction over the error budget: 1 means spending the budget exactly at the rate
    /// that empties it at the end of the window, 14.4 empties a 30-day budget in 50 hours.
    /// 0 when total is 0.
    public static func burnRate(_ counts: SLOCounts, objectivePercent: Double) -> Double {
        guard counts.total > 0, counts.total.isFinite else { return 0 }
        let budget = errorBudget(objectivePercent: objectivePercent)
        guard budget > 0 else { return counts.bad > 0 ? .infinity : 0 }
        return counts.bad / counts.total / budget
    }

    /// 1 − (bad / total) / (1 − objective): 1 untouched, 0 exactly spent, negative overspent
    /// (−1 = twice the budget). 1 when total is 0.
    public static func budgetRemaining(_ counts: SLOCounts, objectivePercent: Double) -> Double {
        1 - burnRate(counts, objectivePercent: objectivePercent)
    }
}
