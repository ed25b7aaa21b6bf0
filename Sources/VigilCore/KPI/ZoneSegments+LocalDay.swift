import Foundation
import VigilPrimitives

/// Local days on the shared zone walker, with the cron scheduler's DST rules (see
/// `ZoneSegments`): the local day of an instant is the day of the *highest* wall time reached
/// so far, so in a fall-back overlap that crosses midnight the day never goes backwards. Days
/// therefore tile the timeline: `[start(d), start(d + 1))` for consecutive days, possibly empty
/// for a date a zone skipped entirely (Pacific/Apia, 2011-12-30).
extension ZoneSegments {
    /// Instants are clamped to ±1e12 s (about 31,000 years), far beyond any real timestamp,
    /// so hostile dates cannot trap the integer arithmetic.
    static func clampedSeconds(_ date: Date) -> Int {
        let t = date.timeIntervalSince1970.rounded(.down)
        guard t.isFinite else { return t > 0 ? 1_000_000_000_000 : -1_000_000_000_000 }
        return Int(Swift.max(Swift.min(t, 1e12), -1e12))
    }

    /// The local day an instant belongs to.
    func localDate(of instant: Int) -> LocalDate {
        CivilDateTime(secondsSince1970: highestWall(atOrBefore: instant)).date
    }

    /// The first instant of a local day (its midnight, or the end of a gap that skipped it).
    func start(of day: LocalDate) -> Int { firstInstant(reaching: day.dayNumber * 86_400) }
}
