import Foundation
import Testing
import VigilCore

struct NotifyDecisionTests {
    typealias S = NotifyDecision.Suppression
    static let calm = StormGuard.Decision.notifyIndividually
    static let storm = StormGuard.Decision.suppressIntoSummary(startsSummary: false)
    static let stormStart = StormGuard.Decision.suppressIntoSummary(startsSummary: true)

    /// One row per rule of `NotifyDecision` (and per precedence between rules).
    @Test(arguments: [
        // Rule 1: silenced mutes every event, before any other reason.
        (NotificationEvent.triggered, AlertState.triggered, "s1" as String?, false, calm, NotifyOutcome.suppress(.silenced)),
        (.triggered, .resolved, "s1", true, storm, .suppress(.silenced)),
        (.reopened, .triggered, "s1", false, calm, .suppress(.silenced)),
        (.escalated, .acknowledged, "s1", true, calm, .suppress(.silenced)),
        (.acknowledged, .acknowledged, "s1", false, calm, .suppress(.silenced)),
        (.resolved, .resolved, "s1", false, calm, .suppress(.silenced)),
        // Rule 2: closing events are sent whatever the state, inhibition or storm.
        (.resolved, .resolved, nil, false, calm, .send),
        (.resolved, .resolved, nil, true, stormStart, .send),
        (.resolved, .triggered, nil, false, calm, .send),        // reopened since: still closes the old one
        (.acknowledged, .acknowledged, nil, false, calm, .send),
        (.acknowledged, .acknowledged, nil, true, storm, .send),
        (.acknowledged, .resolved, nil, false, calm, .send),
        (.acknowledged, .triggered, nil, false, calm, .send),
        // Rule 3: opening events for an alert resolved by now.
        (.triggered, .resolved, nil, false, calm, .suppress(.resolvedBeforeSend)),
        (.triggered, .resolved, nil, true, storm, .suppress(.resolvedBeforeSend)),
        (.escalated, .resolved, nil, false, calm, .suppress(.resolvedBeforeSend)),
        (.reopened, .resolved, nil, false, calm, .suppress(.resolvedBeforeSend)),
        // Rule 4: an escalation of an acknowledged alert; triggers and reopens still go.
        (.escalated, .acknowledged, nil, false, calm, .suppress(.acknowledged)),
        (.escalated, .acknowledged, nil, true, calm, .suppress(.acknowledged)),
        (.triggered, .acknowledged, nil, false, calm, .send),
        (.reopened, .acknowledged, nil, false, calm, .send),
        // Rule 5: inhibited.
        (.triggered, .triggered, nil, true, calm, .suppress(.inhibited)),
        (.triggered, .triggered, nil, true, storm, .suppress(.inhibited)),
        (.reopened, .triggered, nil, true, calm, .suppress(.inhibited)),
        (.escalated, .triggered, nil, true, calm, .suppress(.inhibited)),
        (.triggered, .acknowledged, nil, true, calm, .suppress(.inhibited)),
        // Rule 6: the storm guard, for `triggered` only.
        (.triggered, .triggered, nil, false, storm, .suppress(.stormGuard)),
        (.triggered, .triggered, nil, false, stormStart, .suppress(.stormGuard)),
        (.triggered, .acknowledged, nil, false, storm, .suppress(.stormGuard)),
        (.reopened, .triggered, nil, false, storm, .send),
        (.escalated, .triggered, nil, false, stormStart, .send),
        // Nothing applies.
        (.triggered, .triggered, nil, false, calm, .send),
        (.reopened, .triggered, nil, false, calm, .send),
        (.escalated, .triggered, nil, false, calm, .send),
    ])
    func rules(event: NotificationEvent, state: AlertState, silencedBy: String?, inhibited: Bool,
               storm: StormGuard.Decision, expected: NotifyOutcome) {
        #expect(NotifyDecision.decide(event: event, alertState: state, silencedBy: silencedBy, inhibited: inhibited, storm: storm)
            == expected)
    }

    /// The rules' consequences over every combination of inputs.
    @Test func invariantsOverAllInputs() {
        for event in NotificationEvent.allCases {
            for state in AlertState.allCases {
                for silencedBy in [nil, "s"] as [String?] {
                    for inhibited in [false, true] {
                        let outcomes = [Self.calm, Self.storm, Self.stormStart].map {
                            NotifyDecision.decide(event: event, alertState: state, silencedBy: silencedBy, inhibited: inhibited, storm: $0)
                        }
                        if silencedBy != nil { #expect(outcomes.allSatisfy { $0 == .suppress(.silenced) }) }
                        if silencedBy == nil, !event.opens { #expect(outcomes.allSatisfy { $0 == .send }) }
                        if event != .triggered { #expect(Set(outcomes).count == 1, "storm guard must not matter for \(event)") }
                        if event.opens, silencedBy == nil, state == .resolved {
                            #expect(outcomes.allSatisfy { $0 == .suppress(.resolvedBeforeSend) })
                        }
                        if outcomes.contains(.suppress(.acknowledged)) { #expect(event == .escalated && state == .acknowledged) }
                        if outcomes.contains(.suppress(.stormGuard)) { #expect(event == .triggered) }
                    }
                }
            }
        }
    }

    @Test func storedNames() {
        #expect(S.allCases.map(\.rawValue) == ["silenced", "inhibited", "acknowledged", "storm_guard", "resolved_before_send"])
    }
}
