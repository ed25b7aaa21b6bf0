import Testing
import VigilCore

struct AlertStateMachineTests {
    typealias Outcome = AlertStateMachine.Outcome

    /// Every (state, transition) pair: 3 × 6 = 18 rows, checked to be exhaustive below.
    static let table: [(AlertState, AlertTransition, Outcome?)] = [
        (.triggered, .acknowledge, .applied(.acknowledged, escalation: .stop)),
        (.triggered, .resolve, .applied(.resolved, escalation: .stop)),
        (.triggered, .reopen, .noOp(.triggered)),
        (.triggered, .escalate, .applied(.triggered, escalation: .advance)),
        (.triggered, .ackTimeout, .noOp(.triggered)),
        (.triggered, .occurrence, .applied(.triggered, escalation: .unchanged)),

        (.acknowledged, .acknowledge, .noOp(.acknowledged)),
        (.acknowledged, .resolve, .applied(.resolved, escalation: .stop)),
        (.acknowledged, .reopen, .noOp(.acknowledged)),
        (.acknowledged, .escalate, .applied(.triggered, escalation: .advance)),
        (.acknowledged, .ackTimeout, .applied(.triggered, escalation: .restart)),
        (.acknowledged, .occurrence, .applied(.acknowledged, escalation: .unchanged)),

        (.resolved, .acknowledge, nil),
        (.resolved, .resolve, .noOp(.resolved)),
        (.resolved, .reopen, .applied(.triggered, escalation: .restart)),
        (.resolved, .escalate, nil),
        (.resolved, .ackTimeout, .noOp(.resolved)),
        (.resolved, .occurrence, .applied(.triggered, escalation: .restart)),
    ]

    @Test(arguments: table)
    func transition(from state: AlertState, transition: AlertTransition, expected: Outcome?) {
        let outcome = AlertStateMachine.apply(transition, to: state)
        if let expected {
            #expect(outcome == expected)
        } else {
            guard case .illegal(let error) = outcome else {
                Issue.record("\(transition) on \(state) should be illegal, got \(outcome)")
                return
            }
            #expect(error.from == state && error.transition == transition)
            #expect(outcome.state == nil)
        }
    }

    @Test func tableCoversEveryPairOnce() {
        let pairs = Self.table.map { "\($0.0.rawValue)/\($0.1.rawValue)" }
        #expect(Set(pairs).count == AlertState.allCases.count * AlertTransition.allCases.count)
        #expect(pairs.count == Set(pairs).count)
    }

    @Test(arguments: [
        (AlertTransition.acknowledge, "cannot acknowledge a resolved alert; reopen it first"),
        (.escalate, "cannot escalate a resolved alert; reopen it first"),
    ])
    func illegalTransitionsSayWhatToDo(transition: AlertTransition, message: String) {
        #expect(AlertStateMachine.apply(transition, to: .resolved)
            == .illegal(IllegalAlertTransition(from: .resolved, transition: transition, message: message)))
        #expect(IllegalAlertTransition.code == "illegal_transition")
    }

    /// Idempotency as the API sees it: applying an operator action twice never gets a 409 the
    /// second time, and lands where the first left it.
    @Test(arguments: AlertState.allCases, [AlertTransition.acknowledge, .resolve, .reopen])
    func repeatingAnOperatorActionIsANoOp(start: AlertState, transition: AlertTransition) {
        guard let first = AlertStateMachine.apply(transition, to: start).state else { return }
        #expect(AlertStateMachine.apply(transition, to: first) == .noOp(first))
    }

    @Test func fullLifecycle() {
        var state = AlertState.triggered
        for (transition, expected) in [(AlertTransition.occurrence, AlertState.triggered), (.acknowledge, .acknowledged),
                                       (.ackTimeout, .triggered), (.acknowledge, .acknowledged), (.escalate, .triggered),
                                       (.resolve, .resolved), (.occurrence, .triggered), (.resolve, .resolved),
                                       (.reopen, .triggered)] {
            state = AlertStateMachine.apply(transition, to: state).state!
            #expect(state == expected, "after \(transition)")
        }
    }

    @Test func classification() {
        #expect(AlertState.allCases.filter(\.isOpen) == [.triggered, .acknowledged])
        #expect(AlertTransition.allCases.filter(\.isOperatorAction) == [.acknowledge, .resolve, .reopen, .escalate])
        #expect(AlertState.allCases.map(\.rawValue) == ["triggered", "acknowledged", "resolved"])
        #expect(AlertTransition.ackTimeout.rawValue == "ack_timeout")
    }
}
