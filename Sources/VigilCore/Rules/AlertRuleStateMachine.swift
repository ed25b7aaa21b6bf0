import Foundation

/// Where one group of a rule stands between evaluations (kept in PostgreSQL; a group with no
/// state is inactive).
public struct AlertRuleGroupState: Sendable, Equatable {
    public enum Phase: String, Sendable, Codable, CaseIterable {
        case pending, firing
    }

    public var phase: Phase
    /// Pending since (the first evaluation the condition held), or firing since.
    public var since: Date
    /// A firing group whose condition cleared at this time, kept firing for `keep_firing_for`.
    public var clearedAt: Date?

    public init(phase: Phase, since: Date, clearedAt: Date? = nil) {
        self.phase = phase
        self.since = since
        self.clearedAt = clearedAt
    }
}

/// What an evaluation asks the alert pipeline to do for one group.
public enum AlertRuleAction: Sendable, Equatable {
    case none
    /// Raise the group's alert (it became firing).
    case fire
    /// Resolve the group's alert (it stopped firing).
    case resolve
}

/// Prometheus' rule semantics, as a pure function of the previous state and this evaluation:
/// a condition that holds goes pending, and fires once it has held for `for`; a firing group
/// whose condition clears resolves, or after `keep_firing_for` when that is set; a pending
/// group whose condition clears is dropped without a trace.
public enum AlertRuleStateMachine {
    public static func step(_ state: AlertRuleGroupState?, holds: Bool, now: Date,
                            forMinutes: Int, keepFiringForMinutes: Int) -> (AlertRuleGroupState?, AlertRuleAction) {
        let holdFor = TimeInterval(forMinutes * 60), keepFor = TimeInterval(keepFiringForMinutes * 60)
        switch (state?.phase, holds) {
        case (nil, true):
            return holdFor <= 0 ? (AlertRuleGroupState(phase: .firing, since: now), .fire)
                                : (AlertRuleGroupState(phase: .pending, since: now), .none)
        case (nil, false):
            return (nil, .none)
        case (.pending?, true):
            let since = state!.since
            return now.timeIntervalSince(since) >= holdFor ? (AlertRuleGroupState(phase: .firing, since: now), .fire) : (state, .none)
        case (.pending?, false):
            return (nil, .none)
        case (.firing?, true):
            return (AlertRuleGroupState(phase: .firing, since: state!.since), .none)
        case (.firing?, false):
            let clearedAt = state!.clearedAt ?? now
            if now.timeIntervalSince(clearedAt) >= keepFor { return (nil, .resolve) }
            return (AlertRuleGroupState(phase: .firing, since: state!.since, clearedAt: clearedAt), .none)
        }
    }
}
