import Foundation
import Testing
import VigilCore

// Every expected instant below is a literal worked out by hand. Offsets used:
//   Asia/Kolkata +05:30 all year.
//   Europe/Berlin 2025: 03-30 01:00Z 02:00 CET -> 03:00 CEST; 10-26 01:00Z 03:00 CEST -> 02:00 CET.
//   America/New_York 2025: 03-09 07:00Z 02:00 EST -> 03:00 EDT; 11-02 06:00Z 02:00 EDT -> 01:00 EST.
//   Australia/Lord_Howe 2025: 04-05 15:00Z (04-06 02:00 +11:00) -> 01:30 +10:30;
//                             10-04 15:30Z (10-05 02:00 +10:30) -> 02:30 +11:00.
// Weekdays: 2025-06-01, 2025-06-08, 2025-06-15 and 2025-02-02 are Sundays; 2028-02-29 is a Tuesday.

enum CronFixtures {
    static func instant(_ rfc3339: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: rfc3339) else { fatalError("bad RFC 3339 literal \(rfc3339)") }
        return date
    }

    static func zone(_ identifier: String) -> TimeZone {
        guard let zone = TimeZone(identifier: identifier) else { fatalError("unknown zone \(identifier)") }
        return zone
    }

    static func cron(_ text: String) -> CronExpression {
        do { return try CronExpression(parsing: text) } catch { fatalError("\(error)") }
    }
}

struct CronNextFireTests {
    typealias Case = (expression: String, zone: String, after: String, expected: String?)

    static let utc: [Case] = [
        ("* * * * *", "UTC", "2025-06-15T12:34:56Z", "2025-06-15T12:35:00Z"),
        ("* * * * *", "UTC", "2025-06-15T12:35:00Z", "2025-06-15T12:36:00Z"),  // strictly after
        ("*/15 * * * *", "UTC", "2025-06-15T12:34:56Z", "2025-06-15T12:45:00Z"),
        ("*/15 * * * *", "UTC", "2025-06-15T23:50:00Z", "2025-06-16T00:00:00Z"),
        ("5-20/5 * * * *", "UTC", "2025-06-15T12:21:00Z", "2025-06-15T13:05:00Z"),
        ("7/20 * * * *", "UTC", "2025-06-15T12:30:00Z", "2025-06-15T12:47:00Z"),
        ("0 9 * * *", "UTC", "2025-06-15T09:00:00Z", "2025-06-16T09:00:00Z"),
        ("30 23 * * *", "UTC", "2025-01-31T23:45:00Z", "2025-02-01T23:30:00Z"),  // across midnight and month end
        ("0 0 * * *", "UTC", "2025-12-31T23:59:59Z", "2026-01-01T00:00:00Z"),  // year rollover
        ("0 0 31 * *", "UTC", "2025-04-01T00:00:00Z", "2025-05-31T00:00:00Z"),  // April has no 31st
        ("0 12 30 * *", "UTC", "2025-01-30T12:00:00Z", "2025-03-30T12:00:00Z"),  // February has no 30th
        ("0 0 29 2 *", "UTC", "2025-03-01T00:00:00Z", "2028-02-29T00:00:00Z"),
        ("0 0 29 2 *", "UTC", "2024-02-28T12:00:00Z", "2024-02-29T00:00:00Z"),
        ("0 0 29 2 *", "UTC", "2097-01-01T00:00:00Z", "2104-02-29T00:00:00Z"),  // 2100 is not a leap year
        ("0 0 30 2 *", "UTC", "2025-01-01T00:00:00Z", nil),
        ("0 0 31 4,6,9,11 *", "UTC", "2025-01-01T00:00:00Z", nil),
        ("0 12 10 * 5", "UTC", "2025-06-06T12:00:00Z", "2025-06-10T12:00:00Z"),  // OR: the 10th (a Tuesday)…
        ("0 12 10 * 5", "UTC", "2025-06-10T12:00:00Z", "2025-06-13T12:00:00Z"),  // …or a Friday
        ("0 12 * * 5", "UTC", "2025-06-07T00:00:00Z", "2025-06-13T12:00:00Z"),
        ("0 12 */10 * 5", "UTC", "2025-06-01T00:00:00Z", "2025-07-11T12:00:00Z"),  // `*`-prefixed DOM: AND
        ("0 8 * * 0", "UTC", "2025-06-02T00:00:00Z", "2025-06-08T08:00:00Z"),
        ("0 8 * * 7", "UTC", "2025-06-02T00:00:00Z", "2025-06-08T08:00:00Z"),
        ("0 8 * * 5-7", "UTC", "2025-06-07T09:00:00Z", "2025-06-08T08:00:00Z"),
        ("0 9 * * mon-FRI", "UTC", "2025-06-06T09:00:00Z", "2025-06-09T09:00:00Z"),
        ("15 10 * Feb-Mar Sun", "UTC", "2025-01-10T00:00:00Z", "2025-02-02T10:15:00Z"),
        ("0 6 1 jul *", "UTC", "2025-07-01T06:00:00Z", "2026-07-01T06:00:00Z"),
        ("@hourly", "UTC", "2025-06-15T12:34:56Z", "2025-06-15T13:00:00Z"),
        ("@daily", "UTC", "2025-06-15T00:00:00Z", "2025-06-16T00:00:00Z"),
        ("@midnight", "UTC", "2025-06-15T23:59:59Z", "2025-06-16T00:00:00Z"),
        ("@weekly", "UTC", "2025-06-15T00:00:00Z", "2025-06-22T00:00:00Z"),
        ("@monthly", "UTC", "2025-12-15T08:00:00Z", "2026-01-01T00:00:00Z"),
        ("@yearly", "UTC", "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z"),
        ("@annually", "UTC", "2024-12-31T23:59:59Z", "2025-01-01T00:00:00Z"),
    ]

    static let kolkata: [Case] = [
        ("0 9 * * *", "Asia/Kolkata", "2025-06-15T03:30:00Z", "2025-06-16T09:00:00+05:30"),
        ("0 * * * *", "Asia/Kolkata", "2025-06-15T10:00:00Z", "2025-06-15T16:00:00+05:30"),  // 15:30 local now
        ("30 0 1 * *", "Asia/Kolkata", "2025-01-31T20:00:00Z", "2025-03-01T00:30:00+05:30"),  // already Feb 1 locally
        ("0 0 * * *", "Asia/Kolkata", "2025-12-31T18:29:59Z", "2026-01-01T00:00:00+05:30"),
        ("0 0 1 1 *", "Asia/Kolkata", "2025-12-31T18:30:00Z", "2027-01-01T00:00:00+05:30"),
        ("45 23 * * sat", "Asia/Kolkata", "2025-06-13T20:00:00Z", "2025-06-14T23:45:00+05:30"),  // Friday in UTC
    ]

    static let berlin: [Case] = [
        // Spring forward, 02:00-02:59 does not exist on 2025-03-30.
        ("30 2 * * *", "Europe/Berlin", "2025-03-29T12:00:00Z", "2025-03-30T03:00:00+02:00"),
        ("30 2 * * *", "Europe/Berlin", "2025-03-30T01:00:00Z", "2025-03-31T02:30:00+02:00"),
        ("0,30 2 * * *", "Europe/Berlin", "2025-03-30T00:00:00Z", "2025-03-30T03:00:00+02:00"),
        ("0,30 2 * * *", "Europe/Berlin", "2025-03-30T01:00:00Z", "2025-03-31T02:00:00+02:00"),  // once that day
        ("0 3 * * *", "Europe/Berlin", "2025-03-30T00:00:00Z", "2025-03-30T03:00:00+02:00"),
        ("*/30 * * * *", "Europe/Berlin", "2025-03-30T00:45:00Z", "2025-03-30T03:00:00+02:00"),
        ("30 * * * *", "Europe/Berlin", "2025-03-30T00:30:00Z", "2025-03-30T03:30:00+02:00"),  // 02:30 never happens
        // Fall back, 02:00-02:59 happens twice on 2025-10-26.
        ("30 2 * * *", "Europe/Berlin", "2025-10-25T12:00:00Z", "2025-10-26T02:30:00+02:00"),
        ("30 2 * * *", "Europe/Berlin", "2025-10-26T00:30:00Z", "2025-10-27T02:30:00+01:00"),
        ("30 2 * * *", "Europe/Berlin", "2025-10-26T01:15:00Z", "2025-10-27T02:30:00+01:00"),
        ("*/30 * * * *", "Europe/Berlin", "2025-10-26T00:45:00Z", "2025-10-26T02:00:00+01:00"),
        ("0 * * * *", "Europe/Berlin", "2025-10-26T00:00:00Z", "2025-10-26T02:00:00+01:00"),
        ("@daily", "Europe/Berlin", "2025-10-25T22:00:00Z", "2025-10-27T00:00:00+01:00"),
    ]

    static let newYork: [Case] = [
        // Spring forward, 02:00-02:59 does not exist on 2025-03-09.
        ("30 2 * * *", "America/New_York", "2025-03-09T05:00:00Z", "2025-03-09T03:00:00-04:00"),
        ("30 2 * * *", "America/New_York", "2025-03-09T07:00:00Z", "2025-03-10T02:30:00-04:00"),
        ("0 2 * * *", "America/New_York", "2025-03-08T07:00:00Z", "2025-03-09T03:00:00-04:00"),
        ("*/15 * * * *", "America/New_York", "2025-03-09T06:45:00Z", "2025-03-09T03:00:00-04:00"),
        // Fall back, 01:00-01:59 happens twice on 2025-11-02.
        ("30 1 * * *", "America/New_York", "2025-11-02T04:00:00Z", "2025-11-02T01:30:00-04:00"),
        ("30 1 * * *", "America/New_York", "2025-11-02T05:30:00Z", "2025-11-03T01:30:00-05:00"),
        ("30 1 * * *", "America/New_York", "2025-11-02T06:10:00Z", "2025-11-03T01:30:00-05:00"),
        ("0 2 * * *", "America/New_York", "2025-11-02T05:30:00Z", "2025-11-02T02:00:00-05:00"),
        ("0 1-3 * * *", "America/New_York", "2025-11-02T05:00:00Z", "2025-11-02T02:00:00-05:00"),
        ("*/20 * * * *", "America/New_York", "2025-11-02T05:40:00Z", "2025-11-02T01:00:00-05:00"),
        // Local date differs from the UTC date.
        ("59 23 31 12 *", "America/New_York", "2025-12-31T17:00:00Z", "2025-12-31T23:59:00-05:00"),
        ("0 0 1 1 *", "America/New_York", "2025-06-01T00:00:00Z", "2026-01-01T00:00:00-05:00"),
    ]

    static let lordHowe: [Case] = [
        // Fall back by 30 minutes, 01:30-01:59 happens twice on 2025-04-06.
        ("45 1 * * *", "Australia/Lord_Howe", "2025-04-05T12:00:00Z", "2025-04-06T01:45:00+11:00"),
        ("45 1 * * *", "Australia/Lord_Howe", "2025-04-05T14:45:00Z", "2025-04-07T01:45:00+10:30"),
        ("*/15 * * * *", "Australia/Lord_Howe", "2025-04-05T14:45:00Z", "2025-04-06T01:30:00+10:30"),
        // Spring forward by 30 minutes, 02:00-02:29 does not exist on 2025-10-05.
        ("15 2 * * *", "Australia/Lord_Howe", "2025-10-04T12:00:00Z", "2025-10-05T02:30:00+11:00"),
        ("15 2 * * *", "Australia/Lord_Howe", "2025-10-04T15:30:00Z", "2025-10-06T02:15:00+11:00"),
        ("45 2 * * *", "Australia/Lord_Howe", "2025-10-04T12:00:00Z", "2025-10-05T02:45:00+11:00"),
        ("*/20 * * * *", "Australia/Lord_Howe", "2025-10-04T15:20:00Z", "2025-10-05T02:40:00+11:00"),
    ]

    @Test(arguments: utc + kolkata + berlin + newYork + lordHowe)
    func nextFire(_ expression: String, _ zone: String, _ after: String, _ expected: String?) {
        let next = CronFixtures.cron(expression).nextFire(after: CronFixtures.instant(after), in: CronFixtures.zone(zone))
        #expect(next == expected.map(CronFixtures.instant))
    }

    @Test func fractionalSecondsRoundTowardsTheNextWholeSecond() {
        let everyMinute = CronFixtures.cron("* * * * *")
        let utc = CronFixtures.zone("UTC")
        let fire = CronFixtures.instant("2025-06-15T12:35:00Z")
        #expect(everyMinute.nextFire(after: fire.addingTimeInterval(-0.5), in: utc) == fire)
        #expect(everyMinute.nextFire(after: fire.addingTimeInterval(0.5), in: utc) == CronFixtures.instant("2025-06-15T12:36:00Z"))
        #expect(CronExpression.latestTick(of: everyMinute, atOrBefore: fire.addingTimeInterval(-0.5), in: utc)
            == CronFixtures.instant("2025-06-15T12:34:00Z"))
    }

    @Test func searchesSkipAheadInsteadOfScanningMinutes() {
        // 100 far-reaching searches (~3 years each, plus 8-year nil searches) in well under a second.
        let leapDay = CronFixtures.cron("0 0 29 2 *")
        let impossible = CronFixtures.cron("0 0 30 2 *")
        let zone = CronFixtures.zone("America/New_York")
        let start = CronFixtures.instant("2025-03-01T00:00:00Z")
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<50 {
                #expect(leapDay.nextFire(after: start, in: zone) == CronFixtures.instant("2028-02-29T00:00:00-05:00"))
                #expect(impossible.nextFire(after: start, in: zone) == nil)
            }
        }
        #expect(elapsed < .seconds(2))
    }
}

struct CronLatestTickTests {
    static let cases: [(expression: String, zone: String, atOrBefore: String, expected: String?)] = [
        ("0 9 * * *", "UTC", "2025-06-15T08:59:59Z", "2025-06-14T09:00:00Z"),
        ("0 9 * * *", "UTC", "2025-06-15T09:00:00Z", "2025-06-15T09:00:00Z"),  // inclusive
        ("*/5 * * * *", "UTC", "2025-06-15T11:47:12Z", "2025-06-15T11:45:00Z"),
        ("0 0 29 2 *", "UTC", "2027-06-01T00:00:00Z", "2024-02-29T00:00:00Z"),
        ("0 0 1 1 *", "UTC", "2025-12-31T23:59:59Z", "2025-01-01T00:00:00Z"),
        ("0 0 30 2 *", "UTC", "2025-06-01T00:00:00Z", nil),
        ("0 12 10 * 5", "UTC", "2025-06-12T00:00:00Z", "2025-06-10T12:00:00Z"),
        ("0 12 10 * 5", "UTC", "2025-06-09T00:00:00Z", "2025-06-06T12:00:00Z"),
        ("0 9 * * 1", "Asia/Kolkata", "2025-06-15T12:00:00Z", "2025-06-09T09:00:00+05:30"),
        ("0 * * * *", "Asia/Kolkata", "2025-06-15T10:29:59Z", "2025-06-15T15:00:00+05:30"),
        ("30 2 * * *", "America/New_York", "2025-03-09T12:00:00Z", "2025-03-09T03:00:00-04:00"),
        ("30 2 * * *", "America/New_York", "2025-03-09T06:59:59Z", "2025-03-08T02:30:00-05:00"),
        ("30 1 * * *", "America/New_York", "2025-11-02T06:45:00Z", "2025-11-02T01:30:00-04:00"),  // first 01:30
        ("*/15 * * * *", "America/New_York", "2025-11-02T06:05:00Z", "2025-11-02T01:00:00-05:00"),
        ("*/15 * * * *", "America/New_York", "2025-11-02T05:59:59Z", "2025-11-02T01:45:00-04:00"),
        ("30 * * * *", "America/New_York", "2025-03-09T07:10:00Z", "2025-03-09T01:30:00-05:00"),
        ("@daily", "Europe/Berlin", "2025-10-26T12:00:00Z", "2025-10-26T00:00:00+02:00"),
        ("30 2 * * *", "Europe/Berlin", "2025-03-30T05:00:00Z", "2025-03-30T03:00:00+02:00"),
        ("*/15 * * * *", "Australia/Lord_Howe", "2025-04-05T15:10:00Z", "2025-04-06T01:30:00+10:30"),
        ("15 2 * * *", "Australia/Lord_Howe", "2025-10-05T00:00:00Z", "2025-10-05T02:30:00+11:00"),
    ]

    @Test(arguments: cases)
    func latestTick(_ expression: String, _ zone: String, _ atOrBefore: String, _ expected: String?) {
        let tick = CronExpression.latestTick(
            of: CronFixtures.cron(expression), atOrBefore: CronFixtures.instant(atOrBefore), in: CronFixtures.zone(zone))
        #expect(tick == expected.map(CronFixtures.instant))
    }

    /// Downtime 10:02–11:47 missed 21 ticks of `*/5`; the scheduler runs only the latest one.
    @Test func downtimeIsCaughtUpOnce() {
        let every5 = CronFixtures.cron("*/5 * * * *")
        let utc = CronFixtures.zone("UTC")
        let down = CronFixtures.instant("2025-06-15T10:02:00Z")
        let up = CronFixtures.instant("2025-06-15T11:47:00Z")
        #expect(every5.fireTimes(after: down, through: up, in: utc, limit: 1000).count == 21)
        #expect(CronExpression.latestTick(of: every5, atOrBefore: up, in: utc) == CronFixtures.instant("2025-06-15T11:45:00Z"))
    }
}

struct CronFireTimesTests {
    static let cases: [(expression: String, zone: String, after: String, through: String, limit: Int, expected: [String])] = [
        ("*/30 * * * *", "America/New_York", "2025-11-02T04:50:00Z", "2025-11-02T07:10:00Z", 10, [
            "2025-11-02T01:00:00-04:00", "2025-11-02T01:30:00-04:00",
            "2025-11-02T01:00:00-05:00", "2025-11-02T01:30:00-05:00", "2025-11-02T02:00:00-05:00",
        ]),
        ("0,30 1,2 * * *", "America/New_York", "2025-11-02T04:00:00Z", "2025-11-02T08:00:00Z", 10, [
            "2025-11-02T01:00:00-04:00", "2025-11-02T01:30:00-04:00",
            "2025-11-02T02:00:00-05:00", "2025-11-02T02:30:00-05:00",
        ]),
        ("0,30 1-3 * * *", "America/New_York", "2025-03-09T05:00:00Z", "2025-03-09T08:00:00Z", 10, [
            "2025-03-09T01:00:00-05:00", "2025-03-09T01:30:00-05:00",
            "2025-03-09T03:00:00-04:00", "2025-03-09T03:30:00-04:00",
        ]),
        ("*/30 * * * *", "Europe/Berlin", "2025-03-30T00:00:00Z", "2025-03-30T01:30:00Z", 10, [
            "2025-03-30T01:30:00+01:00", "2025-03-30T03:00:00+02:00", "2025-03-30T03:30:00+02:00",
        ]),
        ("*/15 * * * *", "Australia/Lord_Howe", "2025-04-05T14:30:00Z", "2025-04-05T15:30:00Z", 10, [
            "2025-04-06T01:45:00+11:00", "2025-04-06T01:30:00+10:30",
            "2025-04-06T01:45:00+10:30", "2025-04-06T02:00:00+10:30",
        ]),
        ("* * * * *", "UTC", "2025-06-15T00:00:00Z", "2025-06-15T01:00:00Z", 3, [
            "2025-06-15T00:01:00Z", "2025-06-15T00:02:00Z", "2025-06-15T00:03:00Z",
        ]),
        ("* * * * *", "UTC", "2025-06-15T00:00:00Z", "2025-06-15T01:00:00Z", 0, []),
        ("0 0 30 2 *", "UTC", "2025-06-15T00:00:00Z", "2030-06-15T00:00:00Z", 10, []),
    ]

    @Test(arguments: cases)
    func fireTimes(_ expression: String, _ zone: String, _ after: String, _ through: String, _ limit: Int, _ expected: [String]) {
        let fires = CronFixtures.cron(expression).fireTimes(
            after: CronFixtures.instant(after), through: CronFixtures.instant(through), in: CronFixtures.zone(zone), limit: limit)
        #expect(fires == expected.map(CronFixtures.instant))
    }

    // (expression, zone, local day start, next local day start, fires that day)
    static let dstDays: [(String, String, String, String, Int)] = [
        ("*/15 * * * *", "America/New_York", "2025-11-02T00:00:00-04:00", "2025-11-03T00:00:00-05:00", 100),  // 25 h
        ("*/15 * * * *", "America/New_York", "2025-03-09T00:00:00-05:00", "2025-03-10T00:00:00-04:00", 92),  // 23 h
        ("*/15 1 * * *", "America/New_York", "2025-11-02T00:00:00-04:00", "2025-11-03T00:00:00-05:00", 8),  // both 01:xx
        ("0,15,30,45 1 * * *", "America/New_York", "2025-11-02T00:00:00-04:00", "2025-11-03T00:00:00-05:00", 4),
        ("*/15 2 * * *", "America/New_York", "2025-03-09T00:00:00-05:00", "2025-03-10T00:00:00-04:00", 0),  // no 02:xx
        ("0,15,30,45 2 * * *", "America/New_York", "2025-03-09T00:00:00-05:00", "2025-03-10T00:00:00-04:00", 1),
        ("30 2 * * *", "Europe/Berlin", "2025-10-26T00:00:00+02:00", "2025-10-27T00:00:00+01:00", 1),
        ("30 2 * * *", "Europe/Berlin", "2025-03-30T00:00:00+01:00", "2025-03-31T00:00:00+02:00", 1),
        ("@hourly", "Europe/Berlin", "2025-10-26T00:00:00+02:00", "2025-10-27T00:00:00+01:00", 25),
        ("@hourly", "Europe/Berlin", "2025-03-30T00:00:00+01:00", "2025-03-31T00:00:00+02:00", 23),
        ("*/10 * * * *", "Australia/Lord_Howe", "2025-04-06T00:00:00+11:00", "2025-04-07T00:00:00+10:30", 147),  // 24.5 h
        ("*/10 * * * *", "Australia/Lord_Howe", "2025-10-05T00:00:00+10:30", "2025-10-06T00:00:00+11:00", 141),  // 23.5 h
        ("*/10 * * * *", "Asia/Kolkata", "2025-06-15T00:00:00+05:30", "2025-06-16T00:00:00+05:30", 144),
    ]

    /// Counts over whole DST days, and the invariants tying `nextFire` to `latestTick`: each fire
    /// is its own latest tick, and one second earlier the latest tick is the previous fire.
    @Test(arguments: dstDays)
    func dstDay(_ expression: String, _ zone: String, _ dayStart: String, _ nextDayStart: String, _ count: Int) {
        let cron = CronFixtures.cron(expression)
        let tz = CronFixtures.zone(zone)
        let start = CronFixtures.instant(dayStart).addingTimeInterval(-1)
        let fires = cron.fireTimes(after: start, through: CronFixtures.instant(nextDayStart).addingTimeInterval(-1), in: tz, limit: 1000)
        #expect(fires.count == count)
        var previous = CronExpression.latestTick(of: cron, atOrBefore: start, in: tz)
        for fire in fires {
            #expect(CronExpression.latestTick(of: cron, atOrBefore: fire, in: tz) == fire)
            #expect(CronExpression.latestTick(of: cron, atOrBefore: fire.addingTimeInterval(-1), in: tz) == previous)
            previous = fire
        }
    }
}
