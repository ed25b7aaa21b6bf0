import Foundation

/// The span an SLO's compliance and error budget are measured over.
public enum SLOWindow: String, Sendable, Hashable, Codable, CaseIterable {
    case rolling7 = "rolling_7d"
    case rolling28 = "rolling_28d"
    case rolling30 = "rolling_30d"
    /// The workspace's local calendar month, budget reset at local midnight on the 1st.
    case calendarMonth = "calendar_month"

    /// N for the rolling windows, nil for the calendar month.
    public var rollingDays: Int? {
        switch self {
        case .rolling7: 7
        case .rolling28: 28
        case .rolling30: 30
        case .calendarMonth: nil
        }
    }

    /// The window as of `now`.
    ///
    /// Rolling windows are elapsed time, `[now − N × 24 h, now)`: the SRE convention, and the
    /// zone does not matter (a rolling window across a DST change still holds N × 24 h of
    /// traffic). The calendar month is `[local month start, local next-month start)` in `zone`;
    /// only `[start, now)` has data yet (`dataEnd`).
    public func range(containing now: Date, zone: TimeZone) -> SLOWindowRange {
        if let days = rollingDays {
            return SLOWindowRange(start: now.addingTimeInterval(-Double(days) * 86_400), end: now, asOf: now)
        }
        let month = PeriodCalendar(timeZone: zone).period(.month, containing: now)
        return SLOWindowRange(start: month.start, end: month.end, asOf: now)
    }
}

/// One evaluation's window: `[start, end)`, observed up to `asOf`.
public struct SLOWindowRange: Sendable, Equatable {
    public var start: Date
    /// The window's natural end: `asOf` for rolling windows, the next month for calendar months.
    public var end: Date
    public var asOf: Date

    public init(start: Date, end: Date, asOf: Date) {
        self.start = start
        self.end = end
        self.asOf = asOf
    }

    /// Where counting stops: `min(end, asOf)`. Query `[start, dataEnd)`.
    public var dataEnd: Date { min(end, asOf) }

    /// How much of the window has elapsed, 0…1 (always 1 for rolling windows).
    public var elapsedFraction: Double {
        let total = end.timeIntervalSince(start)
        guard total > 0 else { return 1 }
        return min(max(dataEnd.timeIntervalSince(start) / total, 0), 1)
    }
}
