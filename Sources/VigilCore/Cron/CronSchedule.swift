import Foundation
import VigilPrimitives

// Fire-time computation.
//
// Times are whole seconds since 1970 in two flavours: an *instant* (UTC), and a *wall* time — the
// local calendar reading expressed as if it were UTC, i.e. `wall = instant + utcOffset(instant)`.
// Matching happens on wall times with integer calendar arithmetic (`CivilDate`); the zone is only
// consulted for offsets and for the instants at which the offset changes (its "transitions"), through
// `ZoneSegments`, the walker the KPI calendar uses too.
//
// DST semantics follow Vixie cron / cronie, split by the kind of expression:
//
// * Fixed times of day — neither minute nor hour starts with `*` (`30 2 * * *`, `0 9-17 * * 1-5`,
//   `@daily`). These are about the wall clock:
//   - a wall time skipped by a spring-forward gap fires at the first instant after the gap (02:30
//     on the day New York jumps 02:00→03:00 fires at 03:00 EDT). Several skipped times, or a
//     skipped time plus the time the gap ends at, collapse into that single fire;
//   - a wall time repeated by a fall-back overlap fires once, at its first occurrence (01:30 EDT,
//     not again at 01:30 EST).
//   Formally the fire instant of wall time W is the first instant whose wall time is >= W.
// * Wildcard expressions — minute or hour starts with `*` (`*/15 * * * *`, `@hourly`,
//   `*/10 3 * * *`). These are about elapsed time: they fire at every real instant whose wall time
//   matches. Wall times inside a gap never happen, so they do not fire; wall times in an overlap
//   happen twice, so they fire twice (`*/15 * * * *` keeps firing every 15 real minutes through
//   both 01:xx hours in New York in November).
//
// Searches give up (return nil) after `searchHorizonDays`, which exceeds the longest possible wait
// for a plain day-of-month/month combination — 29 February, 8 years apart across 2100.

extension CronExpression {
    /// Eight years and change: enough for `0 0 29 2 *` from March 2096 to reach 2104-02-29.
    static let searchHorizonDays = 8 * 366 + 1

    /// The first instant strictly after `instant` at which the expression fires in `timeZone`
    /// (always at second 0 of a local minute, DST rules above), or nil if none within ~8 years.
    public func nextFire(after instant: Date, in timeZone: TimeZone) -> Date? {
        guard let x = Self.wholeSeconds(instant) else { return nil }
        let zone = ZoneSegments(timeZone: timeZone)
        let lastDay = Self.floorDiv(x, 86_400) + Self.searchHorizonDays
        if hasFixedTimesOfDay {
            // Every wall time up to the highest one already reached fired at or before x.
            let reached = zone.highestWall(atOrBefore: x)
            guard let wall = nextWall(atOrAfter: Self.ceilToMinute(reached + 1), throughDay: lastDay) else { return nil }
            return ZoneSegments.date(zone.firstInstant(reaching: wall))
        }
        // Elapsed time: walk the offset segments forward; within one, wall = instant + offset.
        var start = x + 1
        while true {
            let (offset, end) = zone.segment(at: start)
            guard let wall = nextWall(atOrAfter: Self.ceilToMinute(start + offset), throughDay: lastDay) else { return nil }
            if wall - offset < end { return ZoneSegments.date(wall - offset) }
            start = end
        }
    }

    /// Fire times in `(after, through]`, oldest first, at most `limit` of them.
    public func fireTimes(after start: Date, through end: Date, in timeZone: TimeZone, limit: Int) -> [Date] {
        var result: [Date] = []
        var cursor = start
        while result.count < limit, let next = nextFire(after: cursor, in: timeZone), next <= end {
            result.append(next)
            cursor = next
        }
        return result
    }

    /// The latest fire time at or before `instant` — the one tick a scheduler enqueues after
    /// downtime, so missed ticks are caught up once rather than N times. Same DST rules as
    /// ``nextFire(after:in:)``: `latestTick(atOrBefore: f) == f` for every fire time `f`.
    public static func latestTick(of expression: CronExpression, atOrBefore instant: Date, in timeZone: TimeZone) -> Date? {
        expression.latestFire(atOrBefore: instant, in: timeZone)
    }

    private func latestFire(atOrBefore instant: Date, in timeZone: TimeZone) -> Date? {
        guard let x = Self.wholeSeconds(instant) else { return nil }
        let zone = ZoneSegments(timeZone: timeZone)
        let firstDay = Self.floorDiv(x, 86_400) - Self.searchHorizonDays
        if hasFixedTimesOfDay {
            let reached = zone.highestWall(atOrBefore: x)
            guard let wall = previousWall(atOrBefore: Self.floorToMinute(reached), fromDay: firstDay) else { return nil }
            return ZoneSegments.date(zone.firstInstant(reaching: wall))
        }
        // Elapsed time, backwards: assume `end`'s offset held since the candidate; if a transition
        // lies in between, the candidate belongs to another segment, so retry just before it.
        var end = x
        while true {
            let offset = zone.offset(at: end)
            guard let wall = previousWall(atOrBefore: Self.floorToMinute(end + offset), fromDay: firstDay) else { return nil }
            let candidate = wall - offset
            guard let transition = zone.lastTransition(after: candidate, through: end) else { return ZoneSegments.date(candidate) }
            end = transition - 1
        }
    }

    // MARK: Wall-clock matching (pure calendar arithmetic, no time zone)

    /// The first matching minute at or after wall time `wall` (a multiple of 60), on or before `lastDay`.
    func nextWall(atOrAfter wall: Int, throughDay lastDay: Int) -> Int? {
        var day = Self.floorDiv(wall, 86_400)
        var hour = Self.floorMod(wall, 86_400) / 3600
        var minute = Self.floorMod(wall, 3600) / 60
        while day <= lastDay {
            let date = CivilDate(dayNumber: day)
            if !months.contains(date.month) {  // skip the rest of the month
                day = date.startOfNextMonth.dayNumber
            } else if matchesDay(month: date.month, day: date.day, weekday: date.weekday) {
                if hours.contains(hour), let m = minutes.first(atOrAfter: minute) {
                    return day * 86_400 + hour * 3600 + m * 60
                }
                if let h = hours.first(atOrAfter: hour + 1), let m = minutes.first(atOrAfter: 0) {
                    return day * 86_400 + h * 3600 + m * 60
                }
                day += 1
            } else {
                day += 1
            }
            (hour, minute) = (0, 0)
        }
        return nil
    }

    /// The last matching minute at or before wall time `wall` (a multiple of 60), on or after `firstDay`.
    func previousWall(atOrBefore wall: Int, fromDay firstDay: Int) -> Int? {
        var day = Self.floorDiv(wall, 86_400)
        var hour = Self.floorMod(wall, 86_400) / 3600
        var minute = Self.floorMod(wall, 3600) / 60
        while day >= firstDay {
            let date = CivilDate(dayNumber: day)
            if !months.contains(date.month) {  // skip back to the end of the previous month
                day = date.startOfMonth.dayNumber - 1
            } else if matchesDay(month: date.month, day: date.day, weekday: date.weekday) {
                if hours.contains(hour), let m = minutes.last(atOrBefore: minute) {
                    return day * 86_400 + hour * 3600 + m * 60
                }
                if let h = hours.last(atOrBefore: hour - 1), let m = minutes.last(atOrBefore: 59) {
                    return day * 86_400 + h * 3600 + m * 60
                }
                day -= 1
            } else {
                day -= 1
            }
            (hour, minute) = (23, 59)
        }
        return nil
    }

    // MARK: Instants

    /// Whole seconds, rounded down (fire times are whole seconds, so "after x" is "after floor(x)").
    private static func wholeSeconds(_ date: Date) -> Int? {
        let t = date.timeIntervalSince1970.rounded(.down)
        return abs(t) < 1e14 ? Int(t) : nil
    }
}

extension CronExpression {
    // Integer helpers that round towards negative infinity (wall times before 1970 are negative).
    fileprivate static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    fileprivate static func floorMod(_ a: Int, _ b: Int) -> Int { a - floorDiv(a, b) * b }
    fileprivate static func ceilToMinute(_ seconds: Int) -> Int { -floorDiv(-seconds, 60) * 60 }
    fileprivate static func floorToMinute(_ seconds: Int) -> Int { floorDiv(seconds, 60) * 60 }
}
