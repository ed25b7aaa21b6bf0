/// Where an alert is in its life. Stored as text in `alerts.state`.
public enum AlertState: String, Sendable, CaseIterable, Codable, Hashable {
    case triggered, acknowledged, resolved

    /// Still firing: new occurrences of its fingerprint fold into it (see `DedupDecision`).
    public var isOpen: Bool { self != .resolved }
}

/// Something that may change an alert's state. The first four are operator actions on the API;
/// the last two come from the system (a worker job, a new event with the same fingerprint).
public enum AlertTransition: String, Sendable, CaseIterable, Codable, Hashable {
    case acknowledge, resolve, reopen, escalate
    /// The acknowledgement timeout of the alert's escalation policy ran out.
    case ackTimeout = "ack_timeout"
    /// A new event with the alert's fingerprint arrived (dedup folded it into this alert).
    case occurrence

    /// Operator actions record who acted and may carry a note; system ones do not.
    public var isOperatorAction: Bool {
        switch self {
        case .acknowledge, .resolve, .reopen, .escalate: true
        case .ackTimeout, .occurrence: false
        }
    }
}

/// What a transition does to escalation, so the service schedules or cancels worker jobs in the
/// same transaction as the state change (no timer lives in memory).
public enum EscalationEffect: String, Sendable, Codable, Hashable {
    /// Leave scheduled escalation jobs as they are.
    case unchanged
    /// Cancel pending escalation jobs (acknowledged or resolved).
    case stop
    /// Start the policy again from its first step, anchored at the transition time.
    case restart
    /// Notify the next step now, then continue the policy from there.
    case advance
}
