import Foundation
import Testing
@testable import VigilCore

struct KPIStatusTests {
    static let cases: [(value: Double?, target: Double?, direction: KPIDirection, expected: KPIStatus)] = [
        (120, 100, .higherIsBetter, .onTarget),
        (100, 100, .higherIsBetter, .onTarget),  // meeting the target counts
        (99.99, 100, .higherIsBetter, .offTarget),
        (0.02, 0.05, .lowerIsBetter, .onTarget),
        (0.05, 0.05, .lowerIsBetter, .onTarget),
        (0.0501, 0.05, .lowerIsBetter, .offTarget),
        (-3, -5, .lowerIsBetter, .offTarget),
        (5, nil, .higherIsBetter, .noTarget),
        (nil, 100, .higherIsBetter, .noData),
        (nil, nil, .lowerIsBetter, .noData),
        (.nan, 100, .higherIsBetter, .noData),
        (0, 0, .higherIsBetter, .onTarget),
    ]

    @Test(arguments: cases)
    func evaluate(_ c: (value: Double?, target: Double?, direction: KPIDirection, expected: KPIStatus)) {
        #expect(KPIStatus.evaluate(value: c.value, target: c.target, direction: c.direction) == c.expected)
    }
}

struct TrendTests {
    typealias Case = (current: Double?, previous: Double?, absolute: Double?, percent: Double?, arrow: Trend.Arrow?,
                      higher: Trend.Assessment?, lower: Trend.Assessment?)

    static let cases: [Case] = [
        (120, 100, 20, 20, .up, .good, .bad),
        (80, 100, -20, -20, .down, .bad, .good),
        (100, 100, 0, 0, .flat, .neutral, .neutral),
        (100.05, 100, 0.05, 0.05, .flat, .neutral, .neutral),  // within 0.1 %: flat
        (100.2, 100, 0.2, 0.2, .up, .good, .bad),  // beyond it
        (5, 0, 5, nil, .up, .good, .bad),  // no percentage from 0
        (0, 0, 0, nil, .flat, .neutral, .neutral),
        (-5, -10, 5, 50, .up, .good, .bad),  // percent relative to |previous|
        (-15, -10, -5, -50, .down, .bad, .good),
        (1e-12, 0, 1e-12, nil, .flat, .neutral, .neutral),  // float noise around 0
        (nil, 100, nil, nil, nil, nil, nil),
        (100, nil, nil, nil, nil, nil, nil),
        (nil, nil, nil, nil, nil, nil, nil),
    ]

    @Test(arguments: cases)
    func compare(_ c: Case) {
        let trend = Trend.compare(current: c.current, previous: c.previous)
        #expect(trend.arrow == c.arrow)
        #expect(close(trend.absoluteChange, c.absolute))
        #expect(close(trend.percentChange, c.percent))
        #expect(trend.assessment(for: .higherIsBetter) == c.higher)
        #expect(trend.assessment(for: .lowerIsBetter) == c.lower)
    }

    private func close(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case (let a?, let b?): abs(a - b) <= 1e-9 * max(1, abs(b))
        default: false
        }
    }

    @Test func overviewFromPartials() {
        let definition = KPIDefinition(key: "refund_rate", name: "Refund rate", unit: "%", aggregation: .plainRatio,
                                       target: 0.02, direction: .lowerIsBetter)
        let current = KPIPartial(count: 0, numeratorSum: 3, denominatorSum: 200)  // 1.5 %
        let previous = KPIPartial(count: 0, numeratorSum: 5, denominatorSum: 200)  // 2.5 %
        let overview = KPIOverview.make(definition: definition, current: current, previous: previous)
        #expect(overview.value == 0.015)
        #expect(overview.status == .onTarget)
        #expect(overview.trend.arrow == .down)
        #expect(overview.assessment == .good)
        #expect(abs(overview.trend.percentChange! - -40) < 1e-9)

        let row = DigestKPIRow.make(overview: overview, displayScale: definition.displayScale, history: [0.025, nil, 0.015])
        #expect(row.value == 1.5)
        #expect(row.target == 2)
        #expect(row.sparkline == [2.5, 1.5])
    }
}
