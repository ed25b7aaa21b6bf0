import Foundation
import Testing
@testable import VigilCore

/// The worker's loop in miniature: roll events up by local day, merge days into weeks and
/// months, receive late events, recompute only the periods `RollupInvalidation` names, and
/// compare every period with a direct computation over the raw events that fall inside it.
struct RollupSimulationTests {
    @Test(arguments: ["Europe/Berlin", "America/New_York"])
    func rollupsEqualDirectComputationIncludingLateEvents(zone identifier: String) {
        let zone = KPIFixture.zone(identifier)
        let calendar = PeriodCalendar(timeZone: zone)
        let aggregation = KPIAggregation.ratio(numerator: "checkout", denominator: "visit")
        var rng = KPISplitMix(seed: 2025)
        let from = KPIFixture.instant("2025-03-01T00:00:00Z"), to = KPIFixture.instant("2025-04-15T00:00:00Z")
        func randomEvents(_ n: Int) -> [KPIEvent] {
            (0..<n).map { _ in
                KPIEvent(kpiKey: "conversion", stream: rng.int(5) == 0 ? "checkout" : "visit", value: Double(1 + rng.int(4)),
                         timestamp: from.addingTimeInterval(Double(rng.int(Int(to.timeIntervalSince(from))))))
            }
        }

        var events = randomEvents(3000)
        var dayRollups: [LocalDate: KPIPartial] = [:]
        func recompute(_ days: [LocalPeriod]) {
            for day in days where day.kind == .day {
                dayRollups[day.firstDay] = KPIPartial.of(events.filter { day.contains($0.timestamp) }, aggregation: aggregation)
            }
        }
        recompute(calendar.periods(.day, from: from, to: to))

        // Late events, including 23:30-ish local ones near midnight and across the DST change.
        let late = randomEvents(40)
        events += late
        let dirty = RollupInvalidation.periods(touchedBy: late.map(\.timestamp), zone: zone)
        #expect(dirty.contains { $0.kind == .month })
        recompute(dirty)

        for kind in KPIPeriod.allCases {
            for period in calendar.periods(kind, from: from, to: to) {
                let direct = KPIPartial.of(events.filter { period.contains($0.timestamp) }, aggregation: aggregation)
                let fromDays = KPIPartial.merged(calendar.periods(.day, from: period.start, to: period.end)
                    .map { dayRollups[$0.firstDay] ?? .empty })
                #expect(fromDays == direct, "\(period)")
                #expect(fromDays.value(for: aggregation) == direct.value(for: aggregation))
            }
        }
    }
}
