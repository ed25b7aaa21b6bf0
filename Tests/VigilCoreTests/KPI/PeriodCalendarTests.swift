import Foundation
import Testing
@testable import VigilCore

// Expected instants are literals worked out by hand:
//   Europe/Berlin 2025: 03-30 01:00Z 02:00 CET -> 03:00 CEST; 10-26 01:00Z 03:00 CEST -> 02:00 CET.
//   America/New_York 2025: 03-09 07:00Z 02:00 EST -> 03:00 EDT; 11-02 06:00Z 02:00 EDT -> 01:00 EST.
//   America/Santiago 2025: 04-06 03:00Z 24:00 -03 -> 23:00 -04 (Saturday repeats its last hour);
//                          09-07 04:00Z 24:00 -04 -> 01:00 -03 (Sunday has no midnight).
//   Asia/Kolkata +05:30 all year.

struct PeriodCalendarTests {
    typealias Case = (zone: String, kind: KPIPeriod, instant: String, label: String, start: String, end: String, hours: Double)

    static let cases: [Case] = [
        // Berlin spring forward: the day is 23 h, its week and month an hour short.
        ("Europe/Berlin", .day, "2025-03-30T12:00:00Z", "2025-03-30", "2025-03-29T23:00:00Z", "2025-03-30T22:00:00Z", 23),
        ("Europe/Berlin", .day, "2025-03-29T23:00:00Z", "2025-03-30", "2025-03-29T23:00:00Z", "2025-03-30T22:00:00Z", 23),
        ("Europe/Berlin", .day, "2025-03-29T22:59:59Z", "2025-03-29", "2025-03-28T23:00:00Z", "2025-03-29T23:00:00Z", 24),
        ("Europe/Berlin", .day, "2025-03-30T01:00:00Z", "2025-03-30", "2025-03-29T23:00:00Z", "2025-03-30T22:00:00Z", 23),
        ("Europe/Berlin", .week, "2025-03-30T12:00:00Z", "2025-W13", "2025-03-23T23:00:00Z", "2025-03-30T22:00:00Z", 167),
        ("Europe/Berlin", .month, "2025-03-30T12:00:00Z", "2025-03", "2025-02-28T23:00:00Z", "2025-03-31T22:00:00Z", 743),
        // Berlin fall back: 25 h.
        ("Europe/Berlin", .day, "2025-10-26T00:30:00Z", "2025-10-26", "2025-10-25T22:00:00Z", "2025-10-26T23:00:00Z", 25),
        ("Europe/Berlin", .day, "2025-10-26T01:30:00Z", "2025-10-26", "2025-10-25T22:00:00Z", "2025-10-26T23:00:00Z", 25),
        ("Europe/Berlin", .month, "2025-10-15T00:00:00Z", "2025-10", "2025-09-30T22:00:00Z", "2025-10-31T23:00:00Z", 745),
        ("Europe/Berlin", .week, "2025-10-26T22:59:59Z", "2025-W43", "2025-10-19T22:00:00Z", "2025-10-26T23:00:00Z", 169),
        ("Europe/Berlin", .week, "2025-10-26T23:00:00Z", "2025-W44", "2025-10-26T23:00:00Z", "2025-11-02T23:00:00Z", 168),
        // New York.
        ("America/New_York", .day, "2025-03-09T12:00:00Z", "2025-03-09", "2025-03-09T05:00:00Z", "2025-03-10T04:00:00Z", 23),
        ("America/New_York", .day, "2025-11-02T05:30:00Z", "2025-11-02", "2025-11-02T04:00:00Z", "2025-11-03T05:00:00Z", 25),
        ("America/New_York", .day, "2025-11-02T06:30:00Z", "2025-11-02", "2025-11-02T04:00:00Z", "2025-11-03T05:00:00Z", 25),
        ("America/New_York", .month, "2025-11-30T12:00:00Z", "2025-11", "2025-11-01T04:00:00Z", "2025-12-01T05:00:00Z", 721),
        // Year boundary: ISO week 1 of 2026 starts on Monday 2025-12-29.
        ("America/New_York", .week, "2026-01-01T12:00:00Z", "2026-W01", "2025-12-29T05:00:00Z", "2026-01-05T05:00:00Z", 168),
        // Santiago: Saturday 2025-04-05 repeats its last hour (25 h); Sunday 2025-09-07 has no midnight (23 h).
        ("America/Santiago", .day, "2025-04-06T03:30:00Z", "2025-04-05", "2025-04-05T03:00:00Z", "2025-04-06T04:00:00Z", 25),
        ("America/Santiago", .day, "2025-09-07T04:00:00Z", "2025-09-07", "2025-09-07T04:00:00Z", "2025-09-08T03:00:00Z", 23),
        ("America/Santiago", .day, "2025-09-07T03:59:59Z", "2025-09-06", "2025-09-06T04:00:00Z", "2025-09-07T04:00:00Z", 24),
        // Half-hour offset, and UTC.
        ("Asia/Kolkata", .day, "2025-06-15T18:29:59Z", "2025-06-15", "2025-06-14T18:30:00Z", "2025-06-15T18:30:00Z", 24),
        ("Asia/Kolkata", .day, "2025-06-15T18:30:00Z", "2025-06-16", "2025-06-15T18:30:00Z", "2025-06-16T18:30:00Z", 24),
        ("UTC", .month, "2024-02-29T23:59:59Z", "2024-02", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z", 696),
        ("UTC", .week, "2025-03-30T23:59:59Z", "2025-W13", "2025-03-24T00:00:00Z", "2025-03-31T00:00:00Z", 168),
    ]

    @Test(arguments: cases)
    func periodContaining(_ c: Case) {
        let calendar = PeriodCalendar(timeZone: KPIFixture.zone(c.zone))
        let period = calendar.period(c.kind, containing: KPIFixture.instant(c.instant))
        #expect(period.label == c.label)
        #expect(period.start == KPIFixture.instant(c.start))
        #expect(period.end == KPIFixture.instant(c.end))
        #expect(period.duration == c.hours * 3600)
        #expect(period.contains(KPIFixture.instant(c.instant)))
    }

    /// 23:30 local lands in that local day, though it is already the next day in UTC (east of
    /// UTC the reverse: 00:30 local is still the previous UTC day).
    static let lateEvening: [(zone: String, instant: String, localDay: String)] = [
        ("America/New_York", "2025-06-16T03:30:00Z", "2025-06-15"),  // 23:30 EDT
        ("America/New_York", "2025-01-16T04:30:00Z", "2025-01-15"),  // 23:30 EST
        ("Europe/Berlin", "2025-06-15T21:30:00Z", "2025-06-15"),     // 23:30 CEST
        ("Europe/Berlin", "2025-06-15T22:30:00Z", "2025-06-16"),     // 00:30 CEST
        ("Europe/Berlin", "2025-03-29T22:30:00Z", "2025-03-29"),     // 23:30 CET before the change
        ("Asia/Kolkata", "2025-06-15T18:00:00Z", "2025-06-15"),      // 23:30 IST
    ]

    @Test(arguments: lateEvening)
    func lateEveningEventLandsInItsLocalDay(_ c: (zone: String, instant: String, localDay: String)) {
        let calendar = PeriodCalendar(timeZone: KPIFixture.zone(c.zone))
        let instant = KPIFixture.instant(c.instant)
        #expect(calendar.localDate(of: instant).description == c.localDay)
        #expect(calendar.period(.day, containing: instant).label == c.localDay)
        // And the day rollup the late-event rule reopens is that local day.
        #expect(RollupInvalidation.periods(touchedBy: [instant], zone: KPIFixture.zone(c.zone)).first?.label == c.localDay)
    }

    @Test(arguments: ["Europe/Berlin", "America/New_York", "America/Santiago", "Australia/Lord_Howe", "Asia/Kolkata"])
    func periodsTileTheTimelineAcrossAYear(zone: String) {
        let calendar = PeriodCalendar(timeZone: KPIFixture.zone(zone))
        for kind in KPIPeriod.allCases {
            let periods = calendar.periods(kind, from: KPIFixture.instant("2025-01-01T00:00:00Z"), to: KPIFixture.instant("2026-01-01T00:00:00Z"))
            #expect(!periods.isEmpty)
            for (a, b) in zip(periods, periods.dropFirst()) {
                #expect(a.end == b.start)
                #expect(a.start < a.end)
                #expect(calendar.next(a) == b)
                #expect(calendar.previous(b) == a)
                #expect(b.firstDay == kind.nextFirstDay(after: a.firstDay))
            }
            #expect(periods.count == (kind == .day ? 366 : kind == .week ? 53 : 13) || periods.count == (kind == .day ? 365 : 52))
        }
    }

    @Test func iterationCoversFromToExclusive() {
        let calendar = PeriodCalendar(timeZone: KPIFixture.zone("Europe/Berlin"))
        // [Mar 29 12:00 local, Apr 1 00:00 local): 29, 30, 31 March.
        let days = calendar.periods(.day, from: KPIFixture.instant("2025-03-29T11:00:00Z"), to: KPIFixture.instant("2025-03-31T22:00:00Z"))
        #expect(days.map(\.label) == ["2025-03-29", "2025-03-30", "2025-03-31"])
        #expect(calendar.periods(.day, from: KPIFixture.instant("2025-03-31T22:00:00Z"), to: KPIFixture.instant("2025-03-31T22:00:00Z")).isEmpty)
        #expect(calendar.periods(.month, from: KPIFixture.instant("2025-01-15T00:00:00Z"), to: KPIFixture.instant("2025-04-01T00:00:00Z"))
            .map(\.label) == ["2025-01", "2025-02", "2025-03", "2025-04"])  // 04-01T00:00Z is already April in Berlin
        #expect(calendar.periods(.day, from: KPIFixture.instant("2000-01-01T00:00:00Z"), to: KPIFixture.instant("2030-01-01T00:00:00Z"), limit: 5).count == 5)
    }

    @Test func previousAcrossDST() {
        let calendar = PeriodCalendar(timeZone: KPIFixture.zone("Europe/Berlin"))
        let day = calendar.period(.day, containing: KPIFixture.instant("2025-03-31T10:00:00Z"))
        #expect(day.label == "2025-03-31")
        let previous = calendar.previous(day)
        #expect(previous.label == "2025-03-30")
        #expect(previous.duration == 23 * 3600)
        let month = calendar.period(.month, containing: KPIFixture.instant("2025-01-10T00:00:00Z"))
        #expect(calendar.previous(month).label == "2024-12")
        #expect(calendar.previous(month).start == KPIFixture.instant("2024-11-30T23:00:00Z"))
    }

    @Test func aSkippedDateGetsNoPeriod() throws {
        // Samoa skipped 2011-12-30 (24:00 -10 on the 29th became 00:00 +14 on the 31st), if the
        // platform's zone data has it.
        let calendar = PeriodCalendar(timeZone: KPIFixture.zone("Pacific/Apia"))
        let transition = KPIFixture.instant("2011-12-30T10:00:00Z")
        try #require(KPIFixture.zone("Pacific/Apia").secondsFromGMT(for: transition) == 14 * 3600)
        #expect(calendar.localDate(of: transition.addingTimeInterval(-1)).description == "2011-12-29")
        #expect(calendar.localDate(of: transition).description == "2011-12-31")
        let days = calendar.periods(.day, from: KPIFixture.instant("2011-12-29T12:00:00Z"), to: KPIFixture.instant("2011-12-31T09:00:00Z"))
        #expect(days.map(\.label) == ["2011-12-29", "2011-12-31"])
        #expect(calendar.previous(days[1]) == days[0])
        #expect(calendar.period(.day, containingDay: KPIFixture.day("2011-12-30")).duration == 0)
    }
}

struct RollupInvalidationTests {
    @Test func touchedDaysAndMonthsOncePerPeriod() {
        let zone = KPIFixture.zone("Europe/Berlin")
        let times = [
            "2025-03-31T21:59:59Z",  // 23:59:59 CEST, March 31
            "2025-03-31T22:00:00Z",  // 00:00 CEST, April 1
            "2025-03-30T10:00:00Z",
            "2025-03-30T11:00:00Z",  // same day again
            "2025-02-28T23:30:00Z",  // 00:30 CET, March 1 (UTC still February)
        ].map(KPIFixture.instant)
        let periods = RollupInvalidation.periods(touchedBy: times, zone: zone)
        #expect(periods.map(\.description) == [
            "day 2025-03-01", "day 2025-03-30", "day 2025-03-31", "day 2025-04-01",
            "month 2025-03", "month 2025-04",
        ])
        #expect(RollupInvalidation.periods(touchedBy: [], zone: zone).isEmpty)
    }

    @Test func lateEventsReopenOnlyClosedPeriods() {
        let zone = KPIFixture.zone("America/New_York")
        let now = KPIFixture.instant("2025-06-02T16:00:00Z")  // noon EDT, June 2
        let times = ["2025-05-31T12:00:00Z", "2025-06-02T13:00:00Z"].map(KPIFixture.instant)
        let closed = RollupInvalidation.closedPeriods(touchedBy: times, zone: zone, now: now)
        #expect(closed.map(\.description) == ["day 2025-05-31", "month 2025-05"])
    }
}
