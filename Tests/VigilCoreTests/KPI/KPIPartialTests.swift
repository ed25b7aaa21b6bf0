import Foundation
import Testing
@testable import VigilCore

struct KPIPartialValueTests {
    static let t0 = KPIFixture.instant("2025-06-15T00:00:00Z")
    static let ratio = KPIAggregation.ratio(numerator: "checkout", denominator: "visit")

    static func e(_ value: Double, at seconds: Double, stream: String? = nil) -> KPIEvent {
        KPIEvent(kpiKey: "k", stream: stream, value: value, timestamp: t0.addingTimeInterval(seconds))
    }

    static let events = [e(10, at: 30), e(4, at: 10), e(6, at: 20)]
    static let ratioEvents = [e(1, at: 1, stream: "checkout"), e(1, at: 2, stream: "numerator"),
                              e(20, at: 3, stream: "visit"), e(20, at: 4, stream: "denominator")]

    static let cases: [(label: String, events: [KPIEvent], aggregation: KPIAggregation, expected: Double?)] = [
        ("sum", events, .sum, 20),
        ("count ignores values", events, .count, 3),
        ("avg", events, .avg, 20.0 / 3),
        ("last is latest by time, not arrival", events, .last, 10),
        ("ratio", ratioEvents, ratio, 2.0 / 40),
        ("ratio with zero denominator", [e(3, at: 1, stream: "checkout")], ratio, nil),
        ("empty sum is 0", [], .sum, 0),
        ("empty count is 0", [], .count, 0),
        ("empty avg", [], .avg, nil),
        ("empty last", [], .last, nil),
        ("empty ratio", [], ratio, nil),
        ("negative values", [e(-5, at: 1), e(2, at: 2)], .avg, -1.5),
    ]

    @Test(arguments: cases.indices)
    func values(_ i: Int) {
        let c = Self.cases[i]
        #expect(KPIPartial.of(c.events, aggregation: c.aggregation).value(for: c.aggregation) == c.expected, "\(c.label)")
    }

    @Test func lastTieBreaksByLargerValueInAnyOrder() {
        let a = KPIPartial(event: Self.e(3, at: 5), aggregation: .last)
        let b = KPIPartial(event: Self.e(7, at: 5), aggregation: .last)
        #expect(a.merging(b).lastValue == 7)
        #expect(b.merging(a).lastValue == 7)
        #expect(a.merging(b) == b.merging(a))
    }

    @Test func emptyIsTheIdentity() {
        let p = KPIPartial.of(Self.ratioEvents, aggregation: Self.ratio)
        #expect(p.merging(.empty) == p)
        #expect(KPIPartial.empty.merging(p) == p)
        #expect(KPIPartial.merged([]) == .empty)
    }

    @Test func ratioEventsAlsoCount() {
        let p = KPIPartial.of(Self.ratioEvents, aggregation: Self.ratio)
        #expect(p.count == 4)
        #expect(p.numeratorSum == 2)
        #expect(p.denominatorSum == 40)
    }
}

/// Rollups must equal direct computation: random events, split into random groups (as days,
/// late batches, hours…), merged in random trees, must give exactly the partial of all events.
struct KPIPartialMergeProperties {
    static let aggregations: [KPIAggregation] = [.sum, .count, .avg, .last, .ratio(numerator: "n", denominator: "d")]

    /// Values are multiples of 0.25 in ±1000, so every float sum here is exact and equality
    /// can be exact; timestamps collide on purpose to exercise the `last` tie-break.
    static func randomEvents(_ rng: inout KPISplitMix, count: Int) -> [KPIEvent] {
        let base = KPIFixture.instant("2025-03-01T00:00:00Z")
        return (0..<count).map { _ in
            KPIEvent(kpiKey: "k", stream: ["n", "d", "numerator", "denominator"][rng.int(4)],
                     value: Double(rng.int(8001) - 4000) / 4, timestamp: base.addingTimeInterval(Double(rng.int(50)) * 3600))
        }
    }

    /// Splits into 1…8 groups by random assignment (not contiguous: late events land anywhere).
    static func randomGroups<T>(_ items: [T], _ rng: inout KPISplitMix) -> [[T]] {
        var groups = Array(repeating: [T](), count: 1 + rng.int(8))
        for item in items { groups[rng.int(groups.count)].append(item) }
        return groups
    }

    /// Merges in a random binary tree.
    static func randomTreeMerge(_ parts: [KPIPartial], _ rng: inout KPISplitMix) -> KPIPartial {
        var pool = parts
        while pool.count > 1 {
            let i = rng.int(pool.count)
            let a = pool.remove(at: i)
            let j = rng.int(pool.count)
            let b = pool.remove(at: j)
            pool.append(rng.int(2) == 0 ? a.merging(b) : b.merging(a))
        }
        return pool.first ?? .empty
    }

    @Test(arguments: [UInt64(1), 2, 3, 42, 2025, 0xDEADBEEF])
    func anyGroupingEqualsDirect(seed: UInt64) {
        var rng = KPISplitMix(seed: seed)
        for _ in 0..<200 {
            let aggregation = Self.aggregations[rng.int(Self.aggregations.count)]
            let events = Self.randomEvents(&rng, count: rng.int(60))
            let direct = KPIPartial.of(events, aggregation: aggregation)
            let groups = Self.randomGroups(events, &rng).map { KPIPartial.of($0, aggregation: aggregation) }
            // Two levels, like days inside months: regroup the group partials again.
            let months = Self.randomGroups(groups, &rng).map { KPIPartial.merged($0) }
            let rolled = Self.randomTreeMerge(months, &rng)
            #expect(rolled == direct)
            #expect(rolled.value(for: aggregation) == direct.value(for: aggregation))
        }
    }

    @Test func lateEventReopeningADayEqualsDirect() {
        var rng = KPISplitMix(seed: 7)
        let aggregation = KPIAggregation.avg
        let day = Self.randomEvents(&rng, count: 40)
        let stored = KPIPartial.of(day, aggregation: aggregation)
        let late = Self.randomEvents(&rng, count: 3)
        // Recomputing the reopened day from its events, or merging the late events in, agree
        // with a direct computation over everything.
        #expect(KPIPartial.of(day + late, aggregation: aggregation) == stored.merging(.of(late, aggregation: aggregation)))
    }

    @Test func breakdownMergesRowsByDimension() {
        let p1 = KPIPartial(count: 2, sum: 10), p2 = KPIPartial(count: 1, sum: 5), p3 = KPIPartial(count: 4, sum: 1)
        let rows: [(dimensions: [String: String], partial: KPIPartial)] = [
            (["country": "US", "source": "web"], p1),
            (["country": "US", "source": "ios"], p2),
            (["source": "web"], p3),
            (["country": "DE"], p2),
        ]
        let groups = KPIBreakdown.group(rows, by: "country")
        #expect(groups == [
            .init(value: "DE", partial: p2),
            .init(value: "US", partial: p1.merging(p2)),
            .init(value: nil, partial: p3),
        ])
        #expect(KPIPartial.merged(groups.map(\.partial)) == KPIPartial.merged(rows.map(\.partial)))
    }
}
