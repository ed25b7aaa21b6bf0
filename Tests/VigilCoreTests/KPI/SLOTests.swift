import Foundation
import Testing
@testable import VigilCore

struct SLODefinitionTests {
    static let latency = SLODefinition.latency(name: "Users API p95", metric: "http.request.duration", percentile: 95,
                                               thresholdMs: 500, tags: ["endpoint": "/api/users"])
    static let counters = SLODefinition(name: "Availability", kind: .availability(.counters(good: "http.requests.ok",
                                        total: "http.requests", tags: ["service": "auth"])), objectivePercent: 99.9, window: .rolling30)
    static let statusTag = SLODefinition(name: "Login availability", kind: .availability(.statusTag(metric: "http.requests",
                                         tagKey: "status", goodValues: ["2*", "3*", "404"], tags: [:])), objectivePercent: 99.5,
                                         window: .calendarMonth)

    @Test func latencyObjectiveDefaultsToItsPercentile() {
        #expect(Self.latency.objectivePercent == 95)
        #expect(Self.latency.window == .rolling28)
        #expect(abs(Self.latency.errorBudget - 0.05) < 1e-12)
        #expect(SLODefinition.latency(name: "x", metric: "m", percentile: 99, thresholdMs: 1, objectivePercent: 99.9).objectivePercent == 99.9)
    }

    static let cases: [(label: String, slo: SLODefinition, field: String?)] = [
        ("latency", latency, nil),
        ("counters", counters, nil),
        ("status tag", statusTag, nil),
        ("empty name", { var s = latency; s.name = ""; return s }(), "name"),
        ("objective 100", { var s = counters; s.objectivePercent = 100; return s }(), "objective_percent"),
        ("objective 49", { var s = counters; s.objectivePercent = 49; return s }(), "objective_percent"),
        ("objective NaN", { var s = counters; s.objectivePercent = .nan; return s }(), "objective_percent"),
        ("objective 99.999", { var s = counters; s.objectivePercent = 99.999; return s }(), nil),
        ("percentile 49", .latency(name: "x", metric: "m", percentile: 49, thresholdMs: 1, objectivePercent: 99), "percentile"),
        ("percentile 99.995", .latency(name: "x", metric: "m", percentile: 99.995, thresholdMs: 1, objectivePercent: 99), "percentile"),
        ("percentile 99.99", .latency(name: "x", metric: "m", percentile: 99.99, thresholdMs: 1), nil),
        ("threshold 0", .latency(name: "x", metric: "m", percentile: 95, thresholdMs: 0), "threshold_ms"),
        ("threshold NaN", .latency(name: "x", metric: "m", percentile: 95, thresholdMs: .nan), "threshold_ms"),
        ("bad metric", .latency(name: "x", metric: "http request", percentile: 95, thresholdMs: 5), "metric"),
        ("bad tag filter", .latency(name: "x", metric: "m", percentile: 95, thresholdMs: 5, tags: ["end point": "/"]), "tag.end point"),
        ("same counters", SLODefinition(name: "x", kind: .availability(.counters(good: "a", total: "a", tags: [:])),
                                        objectivePercent: 99, window: .rolling7), "total_metric"),
        ("bad good counter", SLODefinition(name: "x", kind: .availability(.counters(good: "a b", total: "a", tags: [:])),
                                           objectivePercent: 99, window: .rolling7), "good_metric"),
        ("bad status tag", SLODefinition(name: "x", kind: .availability(.statusTag(metric: "m", tagKey: "st atus", goodValues: ["2*"],
                                         tags: [:])), objectivePercent: 99, window: .rolling7), "status_tag"),
        ("status tag also filtered", SLODefinition(name: "x", kind: .availability(.statusTag(metric: "m", tagKey: "status",
                                                   goodValues: ["200"], tags: ["status": "200"])), objectivePercent: 99, window: .rolling7),
         "status_tag"),
        ("no good values", SLODefinition(name: "x", kind: .availability(.statusTag(metric: "m", tagKey: "status", goodValues: [],
                                         tags: [:])), objectivePercent: 99, window: .rolling7), "good_values"),
        ("lone star", SLODefinition(name: "x", kind: .availability(.statusTag(metric: "m", tagKey: "status", goodValues: ["*"],
                                    tags: [:])), objectivePercent: 99, window: .rolling7), "good_values"),
    ]

    @Test(arguments: cases.indices)
    func validation(_ i: Int) {
        let c = Self.cases[i]
        #expect(c.slo.validate()?.field == c.field, "\(c.label)")
    }

    @Test(arguments: [latency, counters, statusTag])
    func jsonRoundTrip(_ slo: SLODefinition) throws {
        let data = try JSONEncoder().encode(slo)
        #expect(try JSONDecoder().decode(SLODefinition.self, from: data) == slo)
    }

    @Test func jsonShape() throws {
        let json = #"{"name":"p95","kind":"latency","metric":"http.request.duration","percentile":95,"threshold_ms":500,"#
            + #""tags":{"endpoint":"/api/users"},"window":"rolling_28d"}"#
        let slo = try JSONDecoder().decode(SLODefinition.self, from: Data(json.utf8))
        #expect(slo.objectivePercent == 95)
        #expect(slo.kind == .latency(.init(metric: "http.request.duration", percentile: 95, thresholdMs: 500, tags: ["endpoint": "/api/users"])))
        let status = #"{"name":"a","kind":"availability","metric":"http.requests","status_tag":"status","good_values":["2*"],"#
            + #""objective_percent":99.9,"window":"calendar_month"}"#
        #expect(try JSONDecoder().decode(SLODefinition.self, from: Data(status.utf8)).kind
            == .availability(.statusTag(metric: "http.requests", tagKey: "status", goodValues: ["2*"], tags: [:])))
    }

    static let statusValues: [(value: String, good: Bool)] = [
        ("200", true), ("204", true), ("301", true), ("404", true), ("403", false), ("500", false), ("2", true), ("", false),
    ]

    @Test(arguments: statusValues)
    func statusTagMatching(_ c: (value: String, good: Bool)) {
        guard case .availability(let indicator) = Self.statusTag.kind else { Issue.record("not availability"); return }
        #expect(indicator.isGood(statusValue: c.value) == c.good)
    }
}

struct SLOMathTests {
    /// A hand-computed 28-day series: 10,000 requests a day, 5 bad ones a day on 28 days
    /// = 140 bad of 280,000. At 99.9 % the budget is 280 bad requests: half is spent.
    @Test func handComputedAvailabilityWindow() {
        let days = (0..<28).map { _ in SLOCounts(good: 9_995, total: 10_000) }
        let window = SLOCounts.merged(days)
        #expect(window == SLOCounts(good: 279_860, total: 280_000))
        #expect(window.bad == 140)
        #expect(SLOMath.compliance(window) == 0.9995)
        #expect(abs(SLOMath.errorBudget(objectivePercent: 99.9) - 0.001) < 1e-15)
        #expect(abs(SLOMath.burnRate(window, objectivePercent: 99.9) - 0.5) < 1e-9)
        #expect(abs(SLOMath.budgetRemaining(window, objectivePercent: 99.9) - 0.5) < 1e-9)
        #expect(SLOStatus.evaluate(window, objectivePercent: 99.9) == .healthy)
    }

    /// p95 under 500 ms over ten requests: 7 good (500 itself is good), so 70 % against a 95 %
    /// objective: a bad fraction of 0.3 is 6 budgets, 5 budgets overspent.
    @Test func handComputedLatency() {
        let durations = [120, 480, 500, 501, 900, 50, 300, 499.9, 1200, 10, .nan]
        let counts = SLOCounts.latency(durationsMs: durations, thresholdMs: 500)
        #expect(counts == SLOCounts(good: 7, total: 10))
        #expect(SLOMath.compliance(counts) == 0.7)
        #expect(abs(SLOMath.burnRate(counts, objectivePercent: 95) - 6) < 1e-9)
        #expect(abs(SLOMath.budgetRemaining(counts, objectivePercent: 95) - -5) < 1e-9)
        #expect(SLOStatus.evaluate(counts, objectivePercent: 95) == .breached)
    }

    @Test func statusBoundaries() {
        #expect(SLOStatus.evaluate(SLOCounts(good: 0, total: 0), objectivePercent: 99.9) == .noData)
        // Exactly the budget spent: remaining 0 (not −1.1e-13 from 99.9's binary error).
        #expect(SLOStatus.evaluate(SLOCounts(good: 999, total: 1000), objectivePercent: 99.9) == .atRisk)
        #expect(SLOStatus.evaluate(SLOCounts(good: 998, total: 1000), objectivePercent: 99.9) == .breached)
        // 75 % spent = 25 % left: not below the at-risk line.
        #expect(SLOStatus.evaluate(SLOCounts(good: 39_997, total: 40_000), objectivePercent: 99.99) == .healthy)
        #expect(SLOStatus.evaluate(SLOCounts(good: 99_992, total: 100_000), objectivePercent: 99.99) == .atRisk)
        #expect(SLOStatus.evaluate(SLOCounts(good: 100, total: 100), objectivePercent: 99) == .healthy)
        #expect(SLOStatus.evaluate(SLOCounts(good: 101, total: 100), objectivePercent: 99) == .healthy)
    }

    @Test func noEventsSpendNothing() {
        #expect(SLOMath.compliance(.zero) == nil)
        #expect(SLOMath.burnRate(.zero, objectivePercent: 99.9) == 0)
        #expect(SLOMath.budgetRemaining(.zero, objectivePercent: 99.9) == 1)
        #expect(DigestSLORow.make(name: "idle", objectivePercent: 99.9, counts: .zero)
            == DigestSLORow(name: "idle", objectivePercent: 99.9, compliance: nil, budgetRemaining: 1, status: .noData))
    }

    @Test func countsMergeInAnyOrder() {
        var rng = KPISplitMix(seed: 99)
        let hours = (0..<168).map { _ in SLOCounts(good: Double(rng.int(1000)), total: Double(1000 + rng.int(10))) }
        let direct = SLOCounts(good: hours.map(\.good).reduce(0, +), total: hours.map(\.total).reduce(0, +))
        let days = stride(from: 0, to: 168, by: 24).map { SLOCounts.merged(hours[$0..<$0 + 24]) }
        #expect(SLOCounts.merged(days.reversed()) == direct)
    }
}

struct SLOWindowTests {
    static let cases: [(window: SLOWindow, zone: String, now: String, start: String, end: String, elapsed: Double)] = [
        (.rolling7, "Europe/Berlin", "2025-03-31T10:00:00Z", "2025-03-24T10:00:00Z", "2025-03-31T10:00:00Z", 1),
        (.rolling28, "UTC", "2025-03-31T10:00:00Z", "2025-03-03T10:00:00Z", "2025-03-31T10:00:00Z", 1),
        (.rolling30, "America/New_York", "2025-03-31T10:00:00Z", "2025-03-01T10:00:00Z", "2025-03-31T10:00:00Z", 1),
        // Calendar month in local time: Berlin's March has 743 hours; half of them have passed.
        (.calendarMonth, "Europe/Berlin", "2025-03-16T10:30:00Z", "2025-02-28T23:00:00Z", "2025-03-31T22:00:00Z", 371.5 / 743),
        // 00:30 local on April 1 is April already, though UTC still says March.
        (.calendarMonth, "Europe/Berlin", "2025-03-31T22:30:00Z", "2025-03-31T22:00:00Z", "2025-04-30T22:00:00Z", 0.5 / 720),
        (.calendarMonth, "America/New_York", "2025-11-01T03:59:59Z", "2025-10-01T04:00:00Z", "2025-11-01T04:00:00Z", (744 * 3600 - 1) / (744 * 3600)),
    ]

    @Test(arguments: cases)
    func ranges(_ c: (window: SLOWindow, zone: String, now: String, start: String, end: String, elapsed: Double)) {
        let now = KPIFixture.instant(c.now)
        let range = c.window.range(containing: now, zone: KPIFixture.zone(c.zone))
        #expect(range.start == KPIFixture.instant(c.start))
        #expect(range.end == KPIFixture.instant(c.end))
        #expect(range.dataEnd == now)
        #expect(abs(range.elapsedFraction - c.elapsed) < 1e-12)
    }
}
