/// The alert lifecycle as one pure function, so the API, the worker and the Alertmanager
/// integration all agree on it, and the service only has to commit the answer with a
/// compare-and-set (`UPDATE … WHERE state = <from>`) together with the jobs it implies.
///
/// | from \ transition | acknowledge | resolve | reopen | escalate | ack_timeout | occurrence |
/// |---|---|---|---|---|---|---|
/// | triggered    | acknowledged, stop | resolved, stop | no-op | triggered, advance | no-op | triggered, unchanged |
/// | acknowledged | no-op | resolved, stop | no-op | triggered, advance | triggered, restart | acknowledged, unchanged |
/// | resolved     | illegal | no-op | triggered, restart | illegal | no-op | triggered, restart |
///
/// Why these choices (what PagerDuty and Alertmanager users expect):
/// - Repeating the action that produced the current state is a no-op (200, nothing written),
///   so a client retrying after a lost response never gets a 409.
/// - `reopen` of an open alert is a no-op: the alert is already open. It does not drop an
///   acknowledgement; to page again, `escalate`.
/// - Acknowledging or escalating a resolved alert is illegal (409): there is nothing firing,
///   and silently reopening would page people. Reopen first.
/// - `escalate` of an acknowledged alert re-triggers it, as in PagerDuty: the acknowledgement
///   (which mutes notifications) would otherwise hide the escalation it asked for.
/// - `ack_timeout` re-triggers and restarts the policy from its first step. Arriving in any
///   other state it is a stale worker job and a no-op. The service must also cancel the
///   pending ack-timeout job on every transition out of `acknowledged`, so an old timeout
///   cannot fire during a later acknowledgement.
/// - `occurrence` on an open alert changes no state (it bumps `occurrence_count` and
///   `last_seen_at`, so it is `applied`, not a no-op); on a resolved one it is the reopen that
///   `DedupDecision.reopenResolved` asks for.
public enum AlertStateMachine {
    public enum Outcome: Sendable, Equatable {
        /// Write the new state (possibly equal to the old one: `escalate`, `occurrence`).
        case applied(AlertState, escalation: EscalationEffect)
        /// An idempotent repeat: write nothing, answer with the alert as it is.
        case noOp(AlertState)
        /// Refuse with 409 and `error.message`.
        case illegal(IllegalAlertTransition)

        /// The state after the transition, or nil when it is refused.
        public var state: AlertState? {
            switch self {
            case .applied(let state, _), .noOp(let state): state
            case .illegal: nil
            }
        }
    }

    public static func apply(_ transition: AlertTransition, to state: AlertState) -> Outcome {
        switch (state, transition) {
        case (.triggered, .acknowledge): .applied(.acknowledged, escalation: .stop)
        case (.acknowledged, .acknowledge): .noOp(.acknowledged)
        case (.resolved, .acknowledge):
            .illegal(IllegalAlertTransition(from: state, transition: transition,
                                            message: "cannot acknowledge a resolved alert; reopen it first"))

        case (.triggered, .resolve), (.acknowledged, .resolve): .applied(.resolved, escalation: .stop)
        case (.resolved, .resolve): .noOp(.resolved)

        case (.triggered, .reopen), (.acknowledged, .reopen): .noOp(state)
        case (.resolved, .reopen): .applied(.triggered, escalation: .restart)

        case (.triggered, .escalate), (.acknowledged, .escalate): .applied(.triggered, escalation: .advance)
        case (.resolved, .escalate):
            .illegal(IllegalAlertTransition(from: state, transition: transition,
                                            message: "cannot escalate a resolved alert; reopen it first"))

        case (.acknowledged, .ackTimeout): .applied(.triggered, escalation: .restart)
        case (.triggered, .ackTimeout), (.resolved, .ackTimeout): .noOp(state)

        case (.triggered, .occurrence), (.acknowledged, .occurrence): .applied(state, escalation: .unchanged)
        case (.resolved, .occurrence): .applied(.triggered, escalation: .restart)
        }
    }
}

/// A refused transition (HTTP 409). The message names both the state and the action, so an
/// operator reading it knows what to do instead.
public struct IllegalAlertTransition: Error, Sendable, Equatable {
    public var from: AlertState
    public var transition: AlertTransition
    public var message: String

    public init(from: AlertState, transition: AlertTransition, message: String) {
        self.from = from
        self.transition = transition
        self.message = message
    }

    /// The `error.code` the API answers with.
    public static let code = "illegal_transition"
}
