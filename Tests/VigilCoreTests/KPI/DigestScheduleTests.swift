import Foundation
import Testing
@testable import VigilCore

struct DigestScheduleTests {
    static let channel = UUID(uuidString: "00000000-0000-0000-0000-0000000000aa")!

    static func schedule(_ frequency: DigestSchedule.Frequency, hour: Int, zone: String) -> DigestSchedule {
        DigestSchedule(frequency: frequency, localHour: hour, timeZone: zone, channelIDs: [channel])
    }

    typealias SendCase = (frequency: DigestSchedule.Frequency, hour: Int, zone: String, after: String, next: String)

    static let sends: [SendCase] = [
        (.daily, 8, "Europe/Berlin", "2025-03-29T12:00:00Z", "2025-03-30T06:00:00Z"),  // 08:00 CEST, the DST day
        (.daily, 8, "Europe/Berlin", "2025-03-28T12:00:00Z", "2025-03-29T07:00:00Z"),  // 08:00 CET
        (.daily, 8, "Europe/Berlin", "2025-10-25T12:00:00Z", "2025-10-26T07:00:00Z"),  // 08:00 CET after fall back
        (.daily, 2, "Europe/Berlin", "2025-03-29T12:00:00Z", "2025-03-30T01:00:00Z"),  // 02:00 skipped: 03:00 CEST
        (.daily, 2, "Europe/Berlin", "2025-03-30T01:00:00Z", "2025-03-31T00:00:00Z"),
        (.daily, 2, "Europe/Berlin", "2025-10-26T00:00:00Z", "2025-10-27T01:00:00Z"),  // 02:00 CEST was the first pass
        (.daily, 1, "America/New_York", "2025-11-02T04:00:00Z", "2025-11-02T05:00:00Z"),  // 01:00 EDT, first pass
        (.daily, 1, "America/New_York", "2025-11-02T05:00:00Z", "2025-11-03T06:00:00Z"),  // not again at 01:00 EST
        (.daily, 0, "America/New_York", "2025-03-08T12:00:00Z", "2025-03-09T05:00:00Z"),
        (.weekly(weekday: 1), 9, "Europe/Berlin", "2025-03-26T12:00:00Z", "2025-03-31T07:00:00Z"),  // Monday 09:00 CEST
        (.weekly(weekday: 7), 18, "America/New_York", "2025-03-03T12:00:00Z", "2025-03-09T22:00:00Z"),  // Sunday 18:00 EDT
        (.weekly(weekday: 5), 17, "UTC", "2025-06-13T17:00:00Z", "2025-06-20T17:00:00Z"),  // strictly after
    ]

    @Test(arguments: sends)
    func nextSendTime(_ c: SendCase) {
        let schedule = Self.schedule(c.frequency, hour: c.hour, zone: c.zone)
        #expect(schedule.nextSendTime(after: KPIFixture.instant(c.after)) == KPIFixture.instant(c.next))
        #expect(schedule.latestSendTime(atOrBefore: KPIFixture.instant(c.next)) == KPIFixture.instant(c.next))
    }

    @Test func fallBackDayHasTwoAmInBerlinOnce() {
        // 02:00 on 2025-10-26 happens twice in Berlin (00:00Z CEST, 01:00Z CET): one send, the first.
        let schedule = Self.schedule(.daily, hour: 2, zone: "Europe/Berlin")
        #expect(schedule.nextSendTime(after: KPIFixture.instant("2025-10-25T12:00:00Z")) == KPIFixture.instant("2025-10-26T00:00:00Z"))
        #expect(schedule.nextSendTime(after: KPIFixture.instant("2025-10-26T00:00:00Z")) == KPIFixture.instant("2025-10-27T01:00:00Z"))
    }

    typealias PeriodCase = (frequency: DigestSchedule.Frequency, zone: String, send: String, first: String, last: String,
                            start: String, end: String)

    static let periods: [PeriodCase] = [
        (.daily, "Europe/Berlin", "2025-03-30T06:00:00Z", "2025-03-29", "2025-03-29", "2025-03-28T23:00:00Z", "2025-03-29T23:00:00Z"),
        // The 23-hour day.
        (.daily, "Europe/Berlin", "2025-03-31T06:00:00Z", "2025-03-30", "2025-03-30", "2025-03-29T23:00:00Z", "2025-03-30T22:00:00Z"),
        // The 25-hour day.
        (.daily, "America/New_York", "2025-11-03T13:00:00Z", "2025-11-02", "2025-11-02", "2025-11-02T04:00:00Z", "2025-11-03T05:00:00Z"),
        // Sent at 00:30 local: still covers the day before.
        (.daily, "Asia/Kolkata", "2025-06-15T19:00:00Z", "2025-06-15", "2025-06-15", "2025-06-14T18:30:00Z", "2025-06-15T18:30:00Z"),
        // Monday digest: the previous ISO week, DST change inside.
        (.weekly(weekday: 1), "Europe/Berlin", "2025-03-31T07:00:00Z", "2025-03-24", "2025-03-30", "2025-03-23T23:00:00Z",
         "2025-03-30T22:00:00Z"),
        // Friday digest: the seven days before Friday.
        (.weekly(weekday: 5), "UTC", "2025-06-20T17:00:00Z", "2025-06-13", "2025-06-19", "2025-06-13T00:00:00Z", "2025-06-20T00:00:00Z"),
    ]

    @Test(arguments: periods)
    func periodForSendTime(_ c: PeriodCase) throws {
        let schedule = Self.schedule(c.frequency, hour: 8, zone: c.zone)
        let period = try #require(schedule.period(for: KPIFixture.instant(c.send)))
        #expect(period.firstDay.description == c.first)
        #expect(period.lastDay.description == c.last)
        #expect(period.start == KPIFixture.instant(c.start))
        #expect(period.end == KPIFixture.instant(c.end))
        #expect(period.days.count == c.frequency.days)
        #expect(period.timeZone == c.zone)
    }

    @Test func uniqueKeyOncePerPeriod() throws {
        let schedule = Self.schedule(.daily, hour: 8, zone: "Europe/Berlin")
        let tick = KPIFixture.instant("2025-03-31T06:00:00Z")
        let period = try #require(schedule.period(for: tick))
        #expect(DigestSchedule.uniqueKey(workspace: "acme", period: period) == "digest:acme:daily:2025-03-30..2025-03-30")
        // A retry two hours later, or the same tick on another worker, names the same period.
        let retry = try #require(schedule.period(for: tick.addingTimeInterval(7200)))
        #expect(DigestSchedule.uniqueKey(workspace: "acme", period: retry) == DigestSchedule.uniqueKey(workspace: "acme", period: period))
        // The next day's send is a different key; so is a weekly digest over the same days.
        let nextTick = try #require(schedule.nextSendTime(after: tick))
        let next = try #require(schedule.period(for: nextTick))
        #expect(DigestSchedule.uniqueKey(workspace: "acme", period: next) == "digest:acme:daily:2025-03-31..2025-03-31")
        let weekly = try #require(Self.schedule(.weekly(weekday: 1), hour: 8, zone: "Europe/Berlin").period(for: tick))
        #expect(DigestSchedule.uniqueKey(workspace: "acme", period: weekly) == "digest:acme:weekly:2025-03-24..2025-03-30")
        #expect(weekly.label == "2025-03-24 – 2025-03-30")
        #expect(period.label == "2025-03-30")
    }

    @Test func previewCoversWhatASendNowWould() throws {
        let schedule = Self.schedule(.daily, hour: 8, zone: "America/New_York")
        let preview = try #require(schedule.previewPeriod(now: KPIFixture.instant("2025-06-16T03:30:00Z")))  // 23:30 EDT on the 15th
        #expect(preview.firstDay.description == "2025-06-14")
    }

    static let invalid: [(label: String, schedule: DigestSchedule, field: String?)] = [
        ("valid", schedule(.daily, hour: 0, zone: "UTC"), nil),
        ("hour 24", schedule(.daily, hour: 24, zone: "UTC"), "local_hour"),
        ("hour -1", schedule(.daily, hour: -1, zone: "UTC"), "local_hour"),
        ("weekday 0", schedule(.weekly(weekday: 0), hour: 8, zone: "UTC"), "weekday"),
        ("weekday 8", schedule(.weekly(weekday: 8), hour: 8, zone: "UTC"), "weekday"),
        ("zone", schedule(.daily, hour: 8, zone: "Mars/Olympus"), "time_zone"),
        ("no channels", DigestSchedule(frequency: .daily, localHour: 8, timeZone: "UTC", channelIDs: []), "channel_ids"),
        ("duplicate channel", DigestSchedule(frequency: .daily, localHour: 8, timeZone: "UTC", channelIDs: [channel, channel]), "channel_ids"),
    ]

    @Test(arguments: invalid.indices)
    func validation(_ i: Int) {
        let c = Self.invalid[i]
        #expect(c.schedule.validate()?.field == c.field, "\(c.label)")
        let timingInvalid = ["local_hour", "weekday", "time_zone"].contains(c.field ?? "")
        #expect((c.schedule.nextSendTime(after: Date(timeIntervalSince1970: 0)) == nil) == timingInvalid, "\(c.label)")
    }

    @Test func cronExpressions() {
        #expect(Self.schedule(.daily, hour: 8, zone: "UTC").cronExpression == "0 8 * * *")
        #expect(Self.schedule(.weekly(weekday: 7), hour: 18, zone: "UTC").cronExpression == "0 18 * * 0")
        #expect(Self.schedule(.weekly(weekday: 1), hour: 9, zone: "UTC").cronExpression == "0 9 * * 1")
    }

    @Test func jsonRoundTrip() throws {
        for s in [Self.schedule(.daily, hour: 8, zone: "Europe/Berlin"), Self.schedule(.weekly(weekday: 3), hour: 17, zone: "UTC")] {
            #expect(try JSONDecoder().decode(DigestSchedule.self, from: JSONEncoder().encode(s)) == s)
        }
        let json = #"{"frequency":"weekly","weekday":1,"local_hour":9,"time_zone":"Europe/Berlin","channel_ids":["00000000-0000-0000-0000-0000000000AA"]}"#
        #expect(try JSONDecoder().decode(DigestSchedule.self, from: Data(json.utf8)) == Self.schedule(.weekly(weekday: 1), hour: 9, zone: "Europe/Berlin"))
    }
}

struct AlertResponseTimesTests {
    static let t = KPIFixture.instant("2025-06-15T10:00:00Z")

    @Test func meansOverQualifyingAlerts() {
        let t = Self.t
        let mtta: Double = (60 + 180 + 0) / 3
        let mttr: Double = (600 + 1800 + 0) / 3
        let times = AlertResponseTimes.compute([
            (t, t.addingTimeInterval(60), t.addingTimeInterval(600)),     // ack 1 min, resolve 10 min
            (t, t.addingTimeInterval(180), nil),                          // ack 3 min, still open
            (t, nil, t.addingTimeInterval(1800)),                         // auto-resolved after 30 min, never acked
            (t, nil, nil),                                                // open, untouched
            (t, t.addingTimeInterval(-5), t.addingTimeInterval(-1)),      // clock skew: 0 s each
        ])
        #expect(times.acknowledgedCount == 3)
        #expect(times.resolvedCount == 3)
        #expect(times.mttaSeconds == mtta)
        #expect(times.mttrSeconds == mttr)
    }

    @Test func noneQualify() {
        #expect(AlertResponseTimes.compute([]) == AlertResponseTimes(mttaSeconds: nil, mttrSeconds: nil, acknowledgedCount: 0, resolvedCount: 0))
        let open = AlertResponseTimes.compute([(Self.t, nil, nil)])
        #expect(open.mttaSeconds == nil)
        #expect(open.mttrSeconds == nil)
    }
}
