import Foundation
import VigilPrimitives

/// Days, ISO weeks and months in a workspace's IANA time zone.
///
/// Boundaries are local midnights (see `ZoneSegments+LocalDay` for the DST rules): a day that springs
/// forward is 23 h long, one that falls back 25 h, and an event at 23:30 local belongs to that
/// local day whatever its UTC date. Periods tile the timeline with no gaps or overlaps, so
/// every instant belongs to exactly one day, one week and one month.
public struct PeriodCalendar: Sendable {
    public let timeZone: TimeZone
    let clock: ZoneSegments

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        clock = ZoneSegments(timeZone: timeZone)
    }

    /// nil when `identifier` is not a time zone Foundation knows.
    public init?(identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.init(timeZone: zone)
    }

    /// The local day of an instant.
    public func localDate(of instant: Date) -> LocalDate {
        clock.localDate(of: ZoneSegments.clampedSeconds(instant))
    }

    /// The first instant of a local day.
    public func startOfDay(_ day: LocalDate) -> Date {
        ZoneSegments.date(clock.start(of: day))
    }

    /// The period of `kind` that contains `instant`.
    public func period(_ kind: KPIPeriod, containing instant: Date) -> LocalPeriod {
        period(kind, containingDay: localDate(of: instant))
    }

    /// The period of `kind` that contains a local day. (Empty, start == end, only for a day
    /// the zone skipped entirely; `period(_:containing:)` never returns such a period.)
    public func period(_ kind: KPIPeriod, containingDay day: LocalDate) -> LocalPeriod {
        let first = kind.firstDay(containing: day)
        return LocalPeriod(kind: kind, firstDay: first, start: startOfDay(first),
                           end: startOfDay(kind.nextFirstDay(after: first)))
    }

    /// The period just before: the one containing the last instant before `period.start`.
    public func previous(_ period: LocalPeriod) -> LocalPeriod {
        self.period(period.kind, containing: period.start.addingTimeInterval(-1))
    }

    /// The period just after: the one containing `period.end`.
    public func next(_ period: LocalPeriod) -> LocalPeriod {
        self.period(period.kind, containing: period.end)
    }

    /// Periods of `kind` that overlap `[from, to)`, oldest first: the first one contains `from`
    /// (so it may start before it), the last one starts before `to`. Empty when `to <= from`.
    /// At most `limit` periods, so a hostile range cannot allocate without bound.
    public func periods(_ kind: KPIPeriod, from: Date, to: Date, limit: Int = 1000) -> [LocalPeriod] {
        var out: [LocalPeriod] = []
        guard from < to else { return out }
        var current = period(kind, containing: from)
        while current.start < to, out.count < limit {
            out.append(current)
            current = next(current)
        }
        return out
    }
}
