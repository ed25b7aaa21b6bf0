import Foundation
import Testing
@testable import VigilCore

struct BurnRatePolicyTests {
    static let cases: [(burn1h: Double?, burn6h: Double?, expected: BurnRateDecision)] = [
        // Page: both thresholds, inclusive.
        (14.4, 6, .page),
        (1000, 166, .page),
        (14.4, 5.999, .ticket),  // fast but not sustained: ticket (1h ≥ 14.4)
        (14.399, 6, .ticket),  // sustained but not fast: ticket (6h ≥ 6)
        (14.399, 5.999, .ticket),  // steady ≥ 3 on both
        // Fast burn in its first hour (6h below 3) still opens a ticket.
        (14.4, 2.4, .ticket),
        (14.399, 2.4, .none),
        // 6 h alone.
        (0, 6, .ticket),
        (0, 5.999, .none),
        // Steady 3×.
        (3, 3, .ticket),
        (2.999, 3, .none),
        (3, 2.999, .none),
        (2.999, 5.999, .none),
        // No traffic, NaN.
        (nil, nil, .none),
        (nil, 6, .ticket),
        (.nan, .nan, .none),
        (.infinity, .infinity, .page),
        (0, 0, .none),
    ]

    @Test(arguments: cases)
    func boundaries(_ c: (burn1h: Double?, burn6h: Double?, expected: BurnRateDecision)) {
        #expect(BurnRatePolicy.evaluate(burn1h: c.burn1h, burn6h: c.burn6h) == c.expected)
    }

    /// Raising either burn rate never lowers the decision.
    @Test func monotoneInBothWindows() {
        let grid = stride(from: 0.0, through: 20, by: 0.2).map { $0 }
        for a in grid {
            for b in grid {
                let d = BurnRatePolicy.evaluate(burn1h: a, burn6h: b)
                #expect(BurnRatePolicy.evaluate(burn1h: a + 0.2, burn6h: b) >= d)
                #expect(BurnRatePolicy.evaluate(burn1h: a, burn6h: b + 0.2) >= d)
            }
        }
    }

    /// Hand-computed counts: at 99.9 %, 144 bad of 10,000 in the last hour is a burn of exactly
    /// 14.4 (despite 99.9 having no exact binary form), 360 bad of 60,000 over 6 h exactly 6.
    @Test func fromCountsAtExactThresholds() {
        let decision = BurnRatePolicy.evaluate(last1h: SLOCounts(good: 9_856, total: 10_000),
                                               last6h: SLOCounts(good: 59_640, total: 60_000), objectivePercent: 99.9)
        #expect(decision == .page)
        #expect(BurnRatePolicy.evaluate(last1h: SLOCounts(good: 9_857, total: 10_000),
                                        last6h: SLOCounts(good: 59_640, total: 60_000), objectivePercent: 99.9) == .ticket)
    }

    @Test func severities() {
        #expect(BurnRateDecision.page.severity == .critical)
        #expect(BurnRateDecision.ticket.severity == .medium)
        #expect(BurnRateDecision.none.severity == nil)
    }
}

struct BurnRateAlertTests {
    @Test func alertText() throws {
        let alert = try #require(BurnRateAlert.make(sloID: "0b5e", sloName: "Users API p95", decision: .page, burn1h: 20.5,
                                                    burn6h: 7.25, budgetRemaining: 0.42, objectivePercent: 99.9, window: .rolling28))
        #expect(alert.dedupKey == "slo:0b5e:burn")
        #expect(alert.severity == .critical)
        #expect(alert.title == "SLO Users API p95: error budget burning fast")
        #expect(alert.message == "Burn rate 20.5 over the last hour and 7.25 over the last 6 hours "
            + "(1 = spending the budget exactly by the end of the window). Objective 99.9% over rolling_28d; "
            + "42% of the error budget remains.")
        #expect(alert.source == "slo")
        #expect(alert.labels == ["slo_id": "0b5e", "burn_decision": "page", "slo_window": "rolling_28d"])
        let ticket = try #require(BurnRateAlert.make(sloID: "x", sloName: "A", decision: .ticket, burn1h: 3, burn6h: 3,
                                                     budgetRemaining: 0.9, objectivePercent: 99, window: .calendarMonth))
        #expect(ticket.severity == .medium)
        #expect(ticket.title == "SLO A: error budget burning elevated")
        #expect(BurnRateAlert.make(sloID: "x", sloName: "A", decision: .none, burn1h: 0, burn6h: 0, budgetRemaining: 1,
                                   objectivePercent: 99, window: .rolling7) == nil)
        // The dedup key is a valid client dedup_key for the alerts pipeline.
        #expect(throws: Never.self) { try AlertFingerprint.validateDedupKey(alert.dedupKey) }
    }

    static let plans: [(decision: BurnRateDecision, burn6h: Double?, open: AlertSeverity?, expected: BurnRateAlert.Plan)] = [
        (.none, 0, nil, .nothing),
        (.page, 20, nil, .trigger),
        (.ticket, 6, nil, .trigger),
        (.page, 20, .critical, .nothing),  // already paging: fires once
        (.ticket, 6, .medium, .nothing),
        (.ticket, 6, .critical, .nothing),  // calmer than the open alert: leave it
        (.page, 20, .medium, .escalate),
        (.none, 0.5, .critical, .resolve),
        (.none, 2.9, .critical, .nothing),  // hysteresis: still burning faster than sustainable
        (.none, nil, .medium, .resolve),
    ]

    @Test(arguments: plans)
    func plan(_ c: (decision: BurnRateDecision, burn6h: Double?, open: AlertSeverity?, expected: BurnRateAlert.Plan)) {
        #expect(BurnRateAlert.plan(decision: c.decision, burn6h: c.burn6h, openAlertSeverity: c.open) == c.expected)
    }

    /// A 99.9 % SLO, 1,000 requests an hour, evaluated hourly: four bad hours (20 % errors)
    /// inside a quiet day. The alert triggers once, stays open while burning, resolves once.
    @Test func firesOncePerIncident() {
        let objective = 99.9
        var hours = Array(repeating: SLOCounts(good: 1000, total: 1000), count: 30)
        for h in 10..<14 { hours[h] = SLOCounts(good: 800, total: 1000) }
        var open: AlertSeverity?
        var log: [String] = []
        for now in 6..<hours.count {
            let last1h = hours[now - 1]
            let last6h = SLOCounts.merged(hours[(now - 6)..<now])
            let decision = BurnRatePolicy.evaluate(last1h: last1h, last6h: last6h, objectivePercent: objective)
            let burn6h = SLOMath.burnRate(last6h, objectivePercent: objective)
            switch BurnRateAlert.plan(decision: decision, burn6h: burn6h, openAlertSeverity: open) {
            case .trigger: open = decision.severity; log.append("trigger \(decision.rawValue) @\(now)")
            case .escalate: open = decision.severity; log.append("escalate \(decision.rawValue) @\(now)")
            case .resolve: open = nil; log.append("resolve @\(now)")
            case .nothing: break
            }
        }
        // Hour 11 sees the first bad hour: 1h burn 200, 6h burn 33 → page at once.
        #expect(log == ["trigger page @11", "resolve @20"])
    }
}
