import Foundation
import Testing
import VigilCore

/// The per-process slice of a workspace's per-minute allowance: when it spends locally, when it
/// asks the shared store, and when it refuses until the next minute.
@Suite struct UsageLeaseTests {
    static let minute = Date(timeIntervalSince1970: 1_800_000_000 - 1_800_000_000.truncatingRemainder(dividingBy: 60))

    enum Action {
        case spend(Int, at: TimeInterval)
        case grant(Int, cost: Int, slice: Bool = true, at: TimeInterval)
    }

    /// (action, expected step, remaining after) for a limit of 100 (slice 5).
    static let steps: [(Action, UsageLease.Step, Int)] = [
        (.spend(1, at: 0), .ask(5, slice: true), 0),                         // empty lease: ask a twentieth of the limit
        (.grant(5, cost: 1, at: 0), .spent, 4),                // granted 5, spent 1
        (.spend(4, at: 1), .spent, 0),                          // spends what is left locally
        (.spend(30, at: 2), .ask(30, slice: true), 0),                       // a request bigger than a slice asks for itself
        (.grant(20, cost: 30, at: 2), .refused(retryAfterSeconds: 58), 20),  // partial grant: refused, kept
        (.spend(10, at: 3), .spent, 10),                        // a smaller request fits the kept slice
        (.spend(15, at: 4), .refused(retryAfterSeconds: 56), 10), // the store had nothing more: no new ask
        (.spend(101, at: 5), .refused(retryAfterSeconds: 55), 10), // over the limit itself: never fits
        (.spend(1, at: 61), .ask(5, slice: true), 0),                        // a new minute: a fresh, empty lease
        (.grant(0, cost: 1, at: 61), .refused(retryAfterSeconds: 59), 0),
        (.spend(1, at: 62), .refused(retryAfterSeconds: 58), 0), // exhausted: no ask until the minute turns
    ]

    @Test func leaseSteps() {
        var lease = UsageLease(windowStart: Self.minute)
        for (index, (action, expected, remaining)) in Self.steps.enumerated() {
            let step: UsageLease.Step
            switch action {
            case .spend(let cost, let at):
                step = lease.spend(cost, limit: 100, now: Self.minute + at)
            case .grant(let amount, let cost, let slice, let at):
                step = lease.granted(amount, window: UsageLease.window(of: Self.minute + at), cost: cost, slice: slice, now: Self.minute + at)
            }
            #expect(step == expected, "step \(index)")
            #expect(lease.remaining == remaining, "step \(index)")
        }
    }

    @Test func aGrantForAPastMinutePaysThereAndLeavesTheCurrentLeaseAlone() {
        var lease = UsageLease(windowStart: Self.minute)
        _ = lease.spend(1, limit: 100, now: Self.minute + 61)   // the lease moved on to the next minute
        #expect(lease.granted(5, window: Self.minute, cost: 1, slice: true, now: Self.minute + 61) == .spent)
        #expect(lease.remaining == 0 && lease.windowStart == Self.minute + 60)
    }

    /// Requests arriving while a slice is asked for ask for themselves alone, so a burst
    /// cannot lease a slice each and strand them in this process.
    @Test func concurrentRequestsAskOnlyForThemselvesWhileASliceIsOnItsWay() {
        var lease = UsageLease(windowStart: Self.minute)
        #expect(lease.spend(1, limit: 100, now: Self.minute) == .ask(5, slice: true))
        #expect(lease.spend(1, limit: 100, now: Self.minute) == .ask(1, slice: false))
        #expect(lease.spend(3, limit: 100, now: Self.minute) == .ask(3, slice: false))
        #expect(lease.granted(3, window: Self.minute, cost: 3, slice: false, now: Self.minute) == .spent)
        #expect(lease.granted(0, window: Self.minute, cost: 1, slice: false, now: Self.minute) == .refused(retryAfterSeconds: 60))
        #expect(lease.granted(5, window: Self.minute, cost: 1, slice: true, now: Self.minute) == .spent)
        #expect(lease.remaining == 4 && !lease.asking)
        // A failed ask lets the next request ask again.
        var failed = UsageLease(windowStart: Self.minute)
        _ = failed.spend(1, limit: 100, now: Self.minute)
        failed.askFailed(slice: true)
        #expect(failed.spend(1, limit: 100, now: Self.minute) == .ask(5, slice: true))
    }

    @Test(arguments: [(100, 1, 5), (10, 1, 1), (1, 1, 1), (60_000, 1, 3_000), (100, 30, 30), (12_000_000, 10_000, 600_000)])
    func sliceSize(limit: Int, need: Int, expected: Int) {
        #expect(UsageLease.sliceSize(limit: limit, need: need) == expected)
    }

    @Test(arguments: [(0.0, 60), (0.5, 60), (59.2, 1), (59.999, 1), (30, 30)])
    func retryAfterIsTheTimeToTheNextMinute(offset: TimeInterval, expected: Int) {
        #expect(UsageLease.retryAfter(Self.minute + offset) == expected)
    }

    @Test func metersNameTheirLimits() {
        #expect(Set(UsageMeter.all.map(\.name)).count == UsageMeter.all.count)
        #expect(UsageMeter.requests(.ingest).limitName == .requestsPerMinuteIngest)
        #expect(UsageMeter.kpiEvents.limitName == .kpiEventsPerMinute)
        let limits = WorkspaceLimits(ingestPointsPerMinute: 7, kpiEventsPerMinute: 8, requestsPerMinute: [.viewer: 9])
        #expect(limits[UsageMeter.ingestPoints.limitName] == 7)
        #expect(limits[UsageMeter.kpiEvents.limitName] == 8)
        #expect(limits[UsageMeter.requests(.viewer).limitName] == 9)
        #expect(limits[UsageMeter.requests(.admin).limitName] == WorkspaceLimits.defaultRequestsPerMinute)
    }
}

/// The operator's per-workspace overrides: validated by name and range, applied over defaults.
@Suite struct WorkspaceLimitOverridesTests {
    static let cases: [([String: Int], String?)] = [
        ([:], nil),
        (["series": 500_000], nil),
        (["requests_per_minute_ingest": 1, "query_cost": 1_440], nil),
        (["series": 0], "series"),
        (["series": 10_000_001], "series"),
        (["query_cost": 1_439], "query_cost"),
        (["concurrent_reports": 101], "concurrent_reports"),
        (["bogus": 5], "bogus"),
        (["series": 5, "zz_unknown": 1], "zz_unknown"),
    ]

    @Test(arguments: cases)
    func validation(raw: [String: Int], failingField: String?) {
        do {
            let overrides = try WorkspaceLimitOverrides(validating: raw)
            #expect(failingField == nil)
            #expect(overrides.byName == raw)
        } catch {
            #expect(error.field == failingField)
        }
    }

    @Test func everyNameRoundTripsThroughTheLimits() throws {
        var raw: [String: Int] = [:]
        for (index, name) in WorkspaceLimitName.allCases.enumerated() { raw[name.rawValue] = name.allowed.lowerBound + index }
        let limits = WorkspaceLimits().overridden(by: try WorkspaceLimitOverrides(validating: raw))
        for name in WorkspaceLimitName.allCases { #expect(limits[name] == raw[name.rawValue], "\(name)") }
    }

    @Test func onlyOverriddenNamesChange() throws {
        let defaults = WorkspaceLimits()
        let limits = defaults.overridden(by: try WorkspaceLimitOverrides(validating: ["requests_per_minute_viewer": 10]))
        #expect(limits.requestsPerMinute(for: .viewer) == 10)
        #expect(limits.requestsPerMinute(for: .ingest) == defaults.requestsPerMinute(for: .ingest))
        #expect(limits.maxActiveSeries == defaults.maxActiveSeries)
    }
}
