import Foundation
import Testing
import VigilCore

/// The pure pieces of the metrics write and read paths written by the storage side.
struct RollupAndQuotaTests {
    static func at(_ seconds: TimeInterval) -> Date { Date(timeIntervalSince1970: seconds) }
    static let hour: TimeInterval = 3600

    /// (window start, end, use hours) → (hour range, minute ranges), in seconds since the epoch.
    static let plans: [(String, TimeInterval, TimeInterval, Bool, Range<TimeInterval>?, [Range<TimeInterval>])] = [
        ("inside one hour: minutes only", 10 * 60, 50 * 60, true, nil, [600..<3000]),
        ("exactly one aligned hour", hour, 2 * hour, true, hour..<2 * hour, []),
        ("edges on both sides", hour - 600, 3 * hour + 120, true, hour..<3 * hour, [(hour - 600)..<hour, (3 * hour)..<(3 * hour + 120)]),
        ("hours refused: minutes only", hour - 600, 3 * hour + 120, false, nil, [(hour - 600)..<(3 * hour + 120)]),
        ("empty window", 600, 600, true, nil, []),
    ]

    @Test(arguments: plans.indices)
    func rollupPlanCoversTheWindowExactlyOnce(_ index: Int) {
        let (name, start, end, useHours, hours, minutes) = Self.plans[index]
        let plan = RollupPlan.covering(start: Self.at(start), end: Self.at(end), useHours: useHours)
        #expect(plan.hours == hours.map { Self.at($0.lowerBound)..<Self.at($0.upperBound) }, "\(name)")
        #expect(plan.minutes == minutes.map { Self.at($0.lowerBound)..<Self.at($0.upperBound) }, "\(name)")
    }

    @Test func partialsGroupBySeriesAndMinuteInStableOrder() {
        func point(_ value: Double, _ second: TimeInterval) -> MetricPoint {
            MetricPoint(name: "m", kind: .timing, value: value, timestamp: Self.at(second), tags: [])
        }
        let points = [point(1, 61), point(2, 119), point(3, 120), point(4, 61)]
        let partials = RollupPartials.of(points, seriesIDs: [7, 7, 7, 5])
        #expect(partials.map(\.seriesID) == [5, 7, 7])
        #expect(partials.map(\.bucket) == [Self.at(60), Self.at(60), Self.at(120)])
        #expect(partials.map(\.sketch.count) == [1, 2, 1])
        #expect(partials[1].sketch.sum == 3)
        #expect(partials.allSatisfy { $0.resolution == .minute })
    }

    @Test func windowsAreMinuteAlignedAndIncludeTheCurrentMinute() throws {
        let window = MetricWindow(minutes: 60, now: Self.at(10 * Self.hour + 125))
        #expect(window.end == Self.at(10 * Self.hour + 180))
        #expect(window.start == Self.at(9 * Self.hour + 120))
        #expect(throws: ValidationFailure.self) { try MetricWindow.validate(minutes: 0) }
        #expect(throws: ValidationFailure.self) { try MetricWindow.validate(minutes: MetricWindow.maxMinutes + 1) }
        #expect(try MetricWindow.validate(minutes: nil, default: 60) == 60)
    }

    @Test(arguments: [("metrics", 90), ("alerts", 30), ("security_events", 90), ("notifications", 30), ("audit_log", 365)])
    func retentionByDataClass(_ dataClass: String, _ days: Int) {
        #expect(WorkspaceSettings().retentionDays.days(for: dataClass) == days)
    }

    @Test func unknownDataClassHasNoRetention() {
        #expect(WorkspaceSettings().retentionDays.days(for: "jobs") == nil)
    }
}
