import Foundation

/// A time zone seen as constant-offset segments separated by transitions, in whole seconds.
///
/// Two kinds of time: an *instant* (seconds since 1970, UTC) and a *wall* time (the local
/// reading written as if it were UTC: `wall = instant + offset(instant)`). Callers match and
/// count on wall times with integer calendar arithmetic (`CivilDateTime`) and ask the zone only
/// for offsets and for the instants at which they change. The cron scheduler and the KPI
/// calendar share this one walker, so scheduled jobs, KPI periods, SLO months and digest days
/// agree about DST:
/// * a wall time skipped by a spring-forward gap is reached at the first instant after the gap;
/// * in a fall-back overlap the *highest* wall time reached so far counts, so local time never
///   goes backwards.
public struct ZoneSegments: Sendable {
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    public static func date(_ seconds: Int) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    public func offset(at instant: Int) -> Int { timeZone.secondsFromGMT(for: Self.date(instant)) }

    /// The first offset change strictly after `instant`, if any.
    public func nextTransition(after instant: Int) -> Int? {
        guard let next = timeZone.nextDaylightSavingTimeTransition(after: Self.date(instant)) else { return nil }
        return max(Int(next.timeIntervalSince1970.rounded(.up)), instant + 1)  // always make progress
    }

    /// The offset in effect at `instant` and the instant it stops applying (`Int.max`: never).
    public func segment(at instant: Int) -> (offset: Int, end: Int) {
        (offset(at: instant), nextTransition(after: instant) ?? .max)
    }

    /// The last transition in `(after, through]`, if any.
    public func lastTransition(after start: Int, through end: Int) -> Int? {
        var last: Int?
        var cursor = start
        while let next = nextTransition(after: cursor), next <= end {
            last = next
            cursor = next
        }
        return last
    }

    /// The first instant whose wall time is `>= wall`: the wall time's first occurrence, or —
    /// if a gap skips it — the instant the gap ends.
    public func firstInstant(reaching wall: Int) -> Int {
        var start = wall - 2 * 86_400  // offsets are under a day, so this instant's wall is < `wall`
        while true {
            let (offset, end) = segment(at: start)
            if wall < start + offset { return start }  // the jump into this segment skipped `wall`
            if end == .max || wall < end + offset { return wall - offset }
            start = end
        }
    }

    /// The highest wall time of any instant `<= instant`. Usually `instant`'s own wall time, but
    /// in the second pass through a repeated hour it is the wall time reached before falling back.
    public func highestWall(atOrBefore instant: Int) -> Int {
        var start = instant - 2 * 86_400
        var highest = Int.min
        while true {
            let (offset, end) = segment(at: start)
            if end > instant { return max(highest, instant + offset) }
            highest = max(highest, end - 1 + offset)
            start = end
        }
    }
}
