import Foundation

/// A time zone seen as constant-offset segments separated by transitions, in whole seconds.
///
/// Two kinds of time: an *instant* (seconds since 1970, UTC) and a *wall* time (the local
/// reading written as if it were UTC: `wall = instant + offset(instant)`). The rules are the
/// cron scheduler's (CronSchedule.swift), so KPI periods, SLO months and digest days agree
/// with scheduled jobs about DST:
/// * a local time skipped by a spring-forward gap is reached at the first instant after the gap;
/// * the local day of an instant is the day of the *highest* wall time reached so far, so in a
///   fall-back overlap that crosses midnight the day never goes backwards. Days therefore tile
///   the timeline: `[start(d), start(d + 1))` for consecutive days, possibly empty for a date
///   a zone skipped entirely (Pacific/Apia, 2011-12-30).
struct LocalWallClock: Sendable {
    let timeZone: TimeZone

    /// Instants are clamped to ±1e12 s (about 31,000 years), far beyond any real timestamp,
    /// so hostile dates cannot trap the integer arithmetic.
    static func seconds(_ date: Date) -> Int {
        let t = date.timeIntervalSince1970.rounded(.down)
        guard t.isFinite else { return t > 0 ? 1_000_000_000_000 : -1_000_000_000_000 }
        return Int(Swift.max(Swift.min(t, 1e12), -1e12))
    }

    static func date(_ seconds: Int) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    func offset(at instant: Int) -> Int { timeZone.secondsFromGMT(for: Self.date(instant)) }

    /// The first offset change strictly after `instant`, if any.
    func nextTransition(after instant: Int) -> Int? {
        guard let next = timeZone.nextDaylightSavingTimeTransition(after: Self.date(instant)) else { return nil }
        return Swift.max(Int(next.timeIntervalSince1970.rounded(.up)), instant + 1)  // always make progress
    }

    /// The offset in effect at `instant` and the instant it stops applying (`Int.max`: never).
    func segment(at instant: Int) -> (offset: Int, end: Int) {
        (offset(at: instant), nextTransition(after: instant) ?? .max)
    }

    /// The first instant whose wall time is `>= wall`.
    func firstInstant(reaching wall: Int) -> Int {
        var start = wall - 2 * 86_400  // offsets are under a day, so this instant's wall is < `wall`
        while true {
            let (offset, end) = segment(at: start)
            if wall < start + offset { return start }  // the jump into this segment skipped `wall`
            if end == .max || wall < end + offset { return wall - offset }
            start = end
        }
    }

    /// The highest wall time of any instant `<= instant`.
    func highestWall(atOrBefore instant: Int) -> Int {
        var start = instant - 2 * 86_400
        var highest = Int.min
        while true {
            let (offset, end) = segment(at: start)
            if end > instant { return Swift.max(highest, instant + offset) }
            highest = Swift.max(highest, end - 1 + offset)
            start = end
        }
    }

    /// The local day an instant belongs to.
    func localDate(of instant: Int) -> LocalDate {
        LocalDate(dayNumber: LocalDate.floorDiv(highestWall(atOrBefore: instant), 86_400))
    }

    /// The first instant of a local day (its midnight, or the end of a gap that skipped it).
    func start(of day: LocalDate) -> Int { firstInstant(reaching: day.dayNumber * 86_400) }

    /// The first instant at which the wall clock reads `hour:00` on `day` or later.
    func firstInstant(reaching day: LocalDate, hour: Int) -> Int {
        firstInstant(reaching: day.dayNumber * 86_400 + hour * 3600)
    }
}
