import Foundation
import Testing
import VigilCore

/// The backtest replays the live evaluation over synthetic minutes.
struct AlertRuleBacktestTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000 - 1_800_000_000.truncatingRemainder(dividingBy: 60))

    /// `perMinute[i]` points of value 1 in minute i, in one group.
    static func minutes(_ perMinute: [Int], endpoint: String = "/a") -> AlertRuleBacktest.MinuteGroups {
        var groups: AlertRuleBacktest.MinuteGroups = [:]
        for (index, count) in perMinute.enumerated() where count > 0 {
            var sketch = QuantileSketch()
            sketch.add(1, count: count)
            groups[start.addingTimeInterval(Double(index * 60))] = [AlertRuleGroupValue.key(of: ["endpoint": endpoint]): (["endpoint": endpoint], sketch)]
        }
        return groups
    }

    static func at(_ minute: Int) -> Date { start.addingTimeInterval(Double(minute * 60)) }

    @Test func aBurstLongerThanForFiresOnceAndResolves() {
        // A one-minute window (current minute + previous): 10 points a minute for minutes 10–19.
        let rule = AlertRuleDefinition(name: "burst", metric: "m", statistic: .count, windowMinutes: 1, comparison: .greater, threshold: 5,
                                       forMinutes: 3, groupBy: ["endpoint"])
        let perMinute = (0..<40).map { (10..<20).contains($0) ? 10 : 0 }
        let result = AlertRuleBacktest.run(rule: rule, from: Self.at(0), to: Self.at(40), numerator: Self.minutes(perMinute), numeratorKind: .timing,
                                           denominator: nil, denominatorKind: nil)
        #expect(result.evaluations == 40)
        #expect(result.events.count == 1)
        let event = result.events[0]
        // Holds from minute 10 through 20 (minute 20's window still holds minute 19): pending 10, fires 13, resolves 21.
        #expect(event.firedAt == Self.at(13))
        #expect(event.resolvedAt == Self.at(21))
        #expect(event.labels == ["endpoint": "/a"])
        #expect(event.peakValue == 20)
        #expect(result.firingMinutes == 8)
    }

    @Test func aSpikeShorterThanForNeverFires() {
        let rule = AlertRuleDefinition(name: "spike", metric: "m", statistic: .count, windowMinutes: 1, comparison: .greater, threshold: 5,
                                       forMinutes: 5)
        let perMinute = (0..<30).map { $0 == 12 ? 100 : 1 }
        let result = AlertRuleBacktest.run(rule: rule, from: Self.at(0), to: Self.at(30), numerator: Self.minutes(perMinute), numeratorKind: .timing,
                                           denominator: nil, denominatorKind: nil)
        #expect(result.events.isEmpty && result.firingMinutes == 0)
    }

    @Test func aGroupStillFiringAtTheEndHasNoResolution() {
        let rule = AlertRuleDefinition(name: "late", metric: "m", statistic: .count, windowMinutes: 2, comparison: .greaterOrEqual, threshold: 1)
        let result = AlertRuleBacktest.run(rule: rule, from: Self.at(0), to: Self.at(10), numerator: Self.minutes((0..<10).map { $0 >= 8 ? 1 : 0 }),
                                           numeratorKind: .timing, denominator: nil, denominatorKind: nil)
        #expect(result.events.map(\.firedAt) == [Self.at(8)])
        #expect(result.events.first?.resolvedAt == nil)
    }

    @Test func theCostBoundSaturatesInsteadOfOverflowing() {
        #expect(AlertRuleBacktest.cost(intervalMinutes: 10_080, windowMinutes: 1_441, groups: 1_000) > AlertRuleBacktest.maxCost)
        #expect(AlertRuleBacktest.cost(intervalMinutes: Int.max / 2, windowMinutes: 3, groups: 2) == Int.max)
        #expect(AlertRuleBacktest.cost(intervalMinutes: 60, windowMinutes: 6, groups: 0) == 360)
    }
}
