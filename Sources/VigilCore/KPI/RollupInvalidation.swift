import Foundation

/// Which KPI rollups an event batch makes stale.
///
/// The worker stores day and month rollups (`kpi.rollup.daily`, `kpi.rollup.monthly`); weeks
/// and longer ranges are merged from days at read time (partials are mergeable). Every
/// recorded event marks its local day and month dirty; the worker recomputes each dirty
/// (period, KPI) from events once, so a late event — one whose day already has a rollup —
/// reopens exactly the rollups that must change, and a batch of many events on one day
/// costs one recomputation.
public enum RollupInvalidation {
    /// The period kinds with stored rollups, finest first.
    public static let storedKinds: [KPIPeriod] = [.day, .month]

    /// The distinct day and month periods (in `zone`) holding any of `eventTimes`: days first,
    /// then months, each oldest first.
    public static func periods<S: Sequence>(touchedBy eventTimes: S, zone: TimeZone) -> [LocalPeriod] where S.Element == Date {
        let calendar = PeriodCalendar(timeZone: zone)
        var days = Set<LocalDate>()
        for time in eventTimes { days.insert(calendar.localDate(of: time)) }
        let dayPeriods = days.sorted().map { calendar.period(.day, containingDay: $0) }
        let months = Set(days.map { $0.startOfMonth }).sorted().map { calendar.period(.month, containingDay: $0) }
        return dayPeriods + months
    }

    /// Only the periods that had already ended at `now`: those whose rollups were final and
    /// are reopened by late events. (Open periods are rolled up on the normal schedule anyway.)
    public static func closedPeriods<S: Sequence>(touchedBy eventTimes: S, zone: TimeZone, now: Date) -> [LocalPeriod]
    where S.Element == Date {
        periods(touchedBy: eventTimes, zone: zone).filter { $0.end <= now }
    }
}
