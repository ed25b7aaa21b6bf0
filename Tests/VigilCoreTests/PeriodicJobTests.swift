import Foundation
import Testing
import VigilCore

/// `PeriodicJob.dueTick`: the latest tick at or before now, only if it is newer than the last
/// one enqueued — so downtime is caught up once.
struct PeriodicJobTests {
    typealias Case = (expression: String, zone: String, now: String, lastEnqueued: String?, expected: String?)

    static let cases: [Case] = [
        // Never enqueued: the latest tick at or before now.
        ("0 * * * *", "UTC", "2025-06-15T12:34:56Z", nil, "2025-06-15T12:00:00Z"),
        ("0 * * * *", "UTC", "2025-06-15T12:00:00Z", nil, "2025-06-15T12:00:00Z"),  // a tick exactly at now is due
        ("*/15 * * * *", "UTC", "2025-06-15T12:44:59Z", nil, "2025-06-15T12:30:00Z"),
        // The latest tick was already enqueued: nothing is due.
        ("0 * * * *", "UTC", "2025-06-15T12:34:56Z", "2025-06-15T12:00:00Z", nil),
        ("0 * * * *", "UTC", "2025-06-15T12:59:59Z", "2025-06-15T12:00:00Z", nil),
        // The next tick has come.
        ("0 * * * *", "UTC", "2025-06-15T13:00:00Z", "2025-06-15T12:00:00Z", "2025-06-15T13:00:00Z"),
        ("0 * * * *", "UTC", "2025-06-15T13:00:01Z", "2025-06-15T12:00:00Z", "2025-06-15T13:00:00Z"),
        // Downtime: five hourly ticks missed, only the latest is due (caught up once, not five times).
        ("0 * * * *", "UTC", "2025-06-15T15:10:00Z", "2025-06-15T10:00:00Z", "2025-06-15T15:00:00Z"),
        ("@daily", "UTC", "2025-06-20T08:00:00Z", "2025-06-10T00:00:00Z", "2025-06-20T00:00:00Z"),
        // The clock stepped back, or a later tick was enqueued by a faster clock: nothing is due.
        ("0 * * * *", "UTC", "2025-06-15T12:30:00Z", "2025-06-15T14:00:00Z", nil),
        // Local time zones: 09:00 Berlin (CEST, +02:00) is 07:00Z.
        ("0 9 * * *", "Europe/Berlin", "2025-06-15T07:30:00Z", "2025-06-14T07:00:00Z", "2025-06-15T07:00:00Z"),
        ("0 9 * * *", "Europe/Berlin", "2025-06-15T06:59:59Z", "2025-06-14T07:00:00Z", nil),
        // Spring-forward gap: 02:30 New York on 2025-03-09 fires at 03:00 EDT (07:00Z).
        ("30 2 * * *", "America/New_York", "2025-03-09T07:30:00Z", "2025-03-08T07:30:00Z", "2025-03-09T07:00:00Z"),
        // Never fires (30 February): nothing is ever due.
        ("0 0 30 2 *", "UTC", "2025-06-15T12:00:00Z", nil, nil),
    ]

    @Test(arguments: cases)
    func dueTick(_ c: Case) {
        let job = PeriodicJob(name: "t", cron: CronFixtures.cron(c.expression), timeZone: CronFixtures.zone(c.zone), kind: "k")
        let due = PeriodicJob.dueTick(for: job, now: CronFixtures.instant(c.now), lastEnqueued: c.lastEnqueued.map(CronFixtures.instant))
        #expect(due == c.expected.map(CronFixtures.instant), "\(c.expression) in \(c.zone) at \(c.now), last \(c.lastEnqueued ?? "nil")")
    }

    @Test func dueTickIsIdempotentOnceEnqueued() {
        // Whatever is due, enqueueing it makes nothing due at the same instant.
        let job = PeriodicJob(name: "t", cron: CronFixtures.cron("*/7 * * * *"), kind: "k")
        var last: Date? = nil
        var now = CronFixtures.instant("2025-06-15T00:00:30Z")
        var enqueued: [Date] = []
        var lastChecked = now
        for _ in 0..<240 {
            lastChecked = now  // four hours, minute by minute
            if let tick = PeriodicJob.dueTick(for: job, now: now, lastEnqueued: last) {
                #expect(tick <= now)
                #expect(PeriodicJob.dueTick(for: job, now: now, lastEnqueued: tick) == nil)
                enqueued.append(tick)
                last = tick
            }
            now += 60
        }
        #expect(enqueued == job.cron.fireTimes(after: CronFixtures.instant("2025-06-14T23:59:59Z"), through: lastChecked, in: job.timeZone, limit: 1000))
    }

    @Test func uniqueKeyNamesScheduleAndTickInUTC() {
        #expect(PeriodicJob.uniqueKey(name: "prune", tick: CronFixtures.instant("2025-06-15T12:00:00Z")) == "schedule:prune:2025-06-15T12:00:00Z")
    }
}
