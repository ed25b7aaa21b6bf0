import Foundation
import Testing
import VigilCore

struct DashboardThresholdTests {
    @Test(arguments: [
        (nil, DashboardHealthStatus.noData), (Double.nan, .noData), (0, .healthy), (0.99, .healthy),
        (1.0, .warning), (1.01, .warning), (2.99, .warning), (3.0, .critical), (100, .critical),
    ] as [(Double?, DashboardHealthStatus)])
    func idempotencyHealth(rate: Double?, expected: DashboardHealthStatus) {
        #expect(TaskIdempotencyHealth.status(duplicateRatePercent: rate) == expected)
    }

    @Test(arguments: [
        (499.99, true), (500, false), (500.01, false), (0, true), (nil, nil), (Double.infinity, nil), (Double.nan, nil),
    ] as [(Double?, Bool?)])
    func sloLessThan500(actual: Double?, met: Bool?) {
        let check = SLOCheck(name: "p95_execution_time_ms", comparison: .lessThan, target: 500, actual: actual)
        #expect(check.met == met)
        #expect(check.actual == (met == nil ? nil : actual))
    }

    @Test(arguments: [
        (SLOCheck.Comparison.atLeast, 0.95, true), (.atLeast, 0.9499, false), (.atMost, 1, true),
        (.atMost, 1.01, false), (.greaterThan, 1, false), (.greaterThan, 1.01, true),
    ] as [(SLOCheck.Comparison, Double, Bool)])
    func sloComparisons(comparison: SLOCheck.Comparison, actual: Double, met: Bool) {
        let target = comparison == .atLeast ? 0.95 : 1
        #expect(SLOCheck(name: "x", comparison: comparison, target: target, actual: actual).met == met)
    }

    @Test(arguments: [
        ([], nil), ([true], true), ([true, true], true), ([true, false], false), ([nil, false], false),
        ([nil, true], nil), ([nil], nil),
    ] as [([Bool?], Bool?)])
    func sloOverall(mets: [Bool?], expected: Bool?) {
        let checks = mets.map { met in
            SLOCheck(name: "x", comparison: .lessThan, target: 1, actual: met.map { $0 ? 0 : 2 })
        }
        #expect(SLOCheck.overall(checks) == expected)
    }
}

struct DashboardMathTests {
    @Test(arguments: [(0.0, 0.0, nil), (5, 0, nil), (1, -1, nil), (1, 4, 25), (3, 300, 1), (.nan, 4, nil)] as [(Double, Double, Double?)])
    func percent(part: Double, whole: Double, expected: Double?) {
        #expect(DashboardMath.percent(part, of: whole) == expected)
    }

    @Test(arguments: [(1e300, 9_000_000_000_000_000), (-5, 0), (.nan, 0), (.infinity, 0), (2.5, 3), (41.4, 41)] as [(Double, Int)])
    func hostileCounts(value: Double, expected: Int) {
        #expect(DashboardMath.count(value) == expected)
    }

    @Test(arguments: [(97.245, "97.25"), (0.45, "0.45"), (500, "500"), (1.5, "1.5"), (0.001, "0")] as [(Double, String)])
    func format(value: Double, expected: String) {
        #expect(DashboardMath.format(value) == expected)
    }

    @Test func counterCountsSumTimingCountsPoints() {
        let stats = MetricStats(count: 2, sum: 7, min: 3, max: 4, p50: 3, p95: 4, p99: 4)
        #expect(DashboardMath.events(in: stats, kind: .counter) == 7)
        #expect(DashboardMath.events(in: stats, kind: .timing) == 2)
        #expect(DashboardMath.events(in: MetricStats(count: 1, sum: -3, min: -3, max: -3, p50: nil, p95: nil, p99: nil), kind: .counter) == 0)
    }

    @Test func severityOrderIsStable() {
        let advice = [("a", RecommendationLevel.info), ("b", .warning), ("c", .critical), ("d", .warning), ("e", .info)]
            .map { Recommendation(level: $0.1, message: $0.0, action: "") }
        #expect(DashboardMath.bySeverity(advice).map(\.message) == ["c", "b", "d", "a", "e"])
    }
}

struct DashboardWindowTests {
    @Test(arguments: [
        (DashboardID.graphqlMutations, nil, 60, 60), (.graphqlMutations, "5", 5, 5), (.graphqlMutations, "129600", 129_600, 129_600),
        (.taskIdempotency, nil, 24, 1440), (.taskIdempotency, "1", 1, 60), (.taskIdempotency, "2160", 2160, 129_600),
        (.websocket, nil, 60, 60), (.graphqlValidation, "1", 1, 1),
    ] as [(DashboardID, String?, Int, Int)])
    func accepted(dashboard: DashboardID, raw: String?, value: Int, minutes: Int) throws {
        let window = try DashboardWindow.parse(raw, for: dashboard)
        #expect(window.value == value)
        #expect(window.minutes == minutes)
        #expect(window.unit == dashboard.windowUnit)
    }

    @Test(arguments: [
        (DashboardID.graphqlMutations, "0"), (.graphqlMutations, "-1"), (.graphqlMutations, "129601"), (.graphqlMutations, "1.5"),
        (.graphqlMutations, ""), (.graphqlMutations, "60m"), (.taskIdempotency, "2161"), (.websocket, "99999999999999999999"),
    ] as [(DashboardID, String)])
    func rejected(dashboard: DashboardID, raw: String) {
        #expect(throws: DashboardWindowError.self) { try DashboardWindow.parse(raw, for: dashboard) }
    }
}

struct DashboardQueryTests {
    @Test(arguments: DashboardID.allCases)
    func queriesAreUniqueAndNamedByConvention(dashboard: DashboardID) {
        let queries = dashboard.queries
        #expect(!queries.isEmpty)
        #expect(Set(queries.map(\.id)).count == queries.count)
        for query in queries {
            #expect(query.metric.allSatisfy { $0.isLetter || $0 == "." || $0 == "_" })
            #expect(query.metric.hasPrefix("graphql.") || query.metric.hasPrefix("websocket.") || query.metric.hasPrefix("task."))
        }
    }

    @Test(arguments: DashboardID.allCases)
    func emptyInputsGiveNoDataNotZeroRates(dashboard: DashboardID) throws {
        let result = dashboard.compute(DashboardFixture.inputs(dashboard))
        #expect(result.dashboard == dashboard)
        #expect(result.slo.allSatisfy { $0.met == nil && $0.actual == nil })
        #expect(result.recommendations.count == 1)
        #expect(result.recommendations.first?.level == .info)
        #expect(result.recommendations.first?.message.hasPrefix("No ") == true)
    }

    @Test func gaugeLookbackIsCappedByTheWindow() {
        let query = WebSocketDashboard.activeByUserType
        #expect(query.fetchWindowMinutes(for: DashboardWindow(value: 60, unit: .minutes)) == 5)
        #expect(query.fetchWindowMinutes(for: DashboardWindow(value: 2, unit: .minutes)) == 2)
        #expect(WebSocketDashboard.attemptsByStatus.fetchWindowMinutes(for: DashboardWindow(value: 2, unit: .hours)) == 120)
    }
}
