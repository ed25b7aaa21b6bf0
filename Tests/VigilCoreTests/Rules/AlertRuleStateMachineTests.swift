import Foundation
import Testing
import VigilCore

/// Prometheus' `for` / `keep_firing_for` semantics, case by case.
struct AlertRuleStateMachineTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var state: AlertRuleGroupState?
        var holds: Bool
        var minutesLater: Int
        var forMinutes: Int
        var keepMinutes: Int
        var next: AlertRuleGroupState?
        var action: AlertRuleAction
        var testDescription: String { name }
    }

    static func at(_ minutes: Int) -> Date { t0.addingTimeInterval(Double(minutes * 60)) }

    static let cases: [Case] = [
        Case(name: "inactive, holds, no for: fires at once", state: nil, holds: true, minutesLater: 0, forMinutes: 0, keepMinutes: 0,
             next: .init(phase: .firing, since: at(0)), action: .fire),
        Case(name: "inactive, holds, for 5: pending", state: nil, holds: true, minutesLater: 0, forMinutes: 5, keepMinutes: 0,
             next: .init(phase: .pending, since: at(0)), action: .none),
        Case(name: "inactive, does not hold: stays inactive", state: nil, holds: false, minutesLater: 0, forMinutes: 5, keepMinutes: 0,
             next: nil, action: .none),
        Case(name: "pending 4 of 5 minutes: still pending", state: .init(phase: .pending, since: at(0)), holds: true, minutesLater: 4,
             forMinutes: 5, keepMinutes: 0, next: .init(phase: .pending, since: at(0)), action: .none),
        Case(name: "pending 5 of 5 minutes: fires", state: .init(phase: .pending, since: at(0)), holds: true, minutesLater: 5,
             forMinutes: 5, keepMinutes: 0, next: .init(phase: .firing, since: at(5)), action: .fire),
        Case(name: "pending, clears: dropped without an alert", state: .init(phase: .pending, since: at(0)), holds: false, minutesLater: 3,
             forMinutes: 5, keepMinutes: 0, next: nil, action: .none),
        Case(name: "firing, holds: stays firing, no second alert", state: .init(phase: .firing, since: at(0)), holds: true, minutesLater: 10,
             forMinutes: 5, keepMinutes: 0, next: .init(phase: .firing, since: at(0)), action: .none),
        Case(name: "firing, clears, no keep: resolves", state: .init(phase: .firing, since: at(0)), holds: false, minutesLater: 10,
             forMinutes: 5, keepMinutes: 0, next: nil, action: .resolve),
        Case(name: "firing, clears, keep 3: kept firing, cleared noted", state: .init(phase: .firing, since: at(0)), holds: false,
             minutesLater: 10, forMinutes: 0, keepMinutes: 3, next: .init(phase: .firing, since: at(0), clearedAt: at(10)), action: .none),
        Case(name: "kept firing 2 of 3 minutes: still firing", state: .init(phase: .firing, since: at(0), clearedAt: at(10)), holds: false,
             minutesLater: 12, forMinutes: 0, keepMinutes: 3, next: .init(phase: .firing, since: at(0), clearedAt: at(10)), action: .none),
        Case(name: "kept firing 3 of 3 minutes: resolves", state: .init(phase: .firing, since: at(0), clearedAt: at(10)), holds: false,
             minutesLater: 13, forMinutes: 0, keepMinutes: 3, next: nil, action: .resolve),
        Case(name: "kept firing, holds again: clear forgotten", state: .init(phase: .firing, since: at(0), clearedAt: at(10)), holds: true,
             minutesLater: 11, forMinutes: 0, keepMinutes: 3, next: .init(phase: .firing, since: at(0)), action: .none),
    ]

    @Test(arguments: cases)
    func step(_ c: Case) {
        let (next, action) = AlertRuleStateMachine.step(c.state, holds: c.holds, now: Self.at(c.minutesLater),
                                                        forMinutes: c.forMinutes, keepFiringForMinutes: c.keepMinutes)
        #expect(next == c.next)
        #expect(action == c.action)
    }
}
