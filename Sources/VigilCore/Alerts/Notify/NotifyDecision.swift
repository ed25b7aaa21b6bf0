/// Whether one notification of one alert goes out, decided when its job runs (not when it was
/// enqueued), from the alert's state at that moment.
///
/// | event | silenced | alert resolved now | alert acknowledged now | inhibited | storm guard |
/// |---|---|---|---|---|---|
/// | triggered    | suppress | suppress (resolved_before_send) | send | suppress | suppress when `suppressIntoSummary` |
/// | reopened     | suppress | suppress (resolved_before_send) | send | suppress | ignored |
/// | escalated    | suppress | suppress (resolved_before_send) | suppress | suppress | ignored |
/// | acknowledged | suppress | send | send | send | ignored |
/// | resolved     | suppress | send | send | send | ignored |
///
/// When several reasons apply, the first column from the left names the suppression.
public enum NotifyDecision {
    /// Why a notification was not sent; stored in the delivery ledger as the raw value.
    public enum Suppression: String, Sendable, Codable, CaseIterable, Hashable {
        /// An active silence matched the alert (the caller passes its id as `silencedBy`).
        case silenced
        /// A firing alert inhibits this one (`InhibitRule.inhibits`).
        case inhibited
        /// An escalation arrived while the alert is acknowledged: the acknowledgement is
        /// the answer the escalation was waiting for (its jobs should have been cancelled).
        case acknowledged
        /// The alert is part of a storm and goes into the minute's summary instead.
        case stormGuard = "storm_guard"
        /// The alert was resolved between the event and the send: paging for it now would
        /// wake someone for a problem that is gone.
        case resolvedBeforeSend = "resolved_before_send"
    }

    /// - `event`: what the notification is about.
    /// - `alertState`: the alert's state now, when the notification is about to be sent.
    /// - `silencedBy`: the id of an active silence muting the alert now, or nil.
    /// - `inhibited`: whether an inhibit rule mutes the alert now.
    /// - `storm`: `StormGuard.decide` for the alert's ordinal in its minute (for events other
    ///   than `triggered`, pass anything: it is ignored). Its `startsSummary` is the caller's
    ///   to act on whatever this returns: the summary job must be enqueued even if this
    ///   alert is also silenced or inhibited.
    public static func decide(event: NotificationEvent, alertState: AlertState, silencedBy: String?,
                              inhibited: Bool, storm: StormGuard.Decision) -> NotifyOutcome {
        // Rule 1, every event: a silence mutes everything about the alert, including the
        // acknowledgements and resolutions that close what was sent before it (an operator
        // who silences wants quiet; a receiver mirroring state, like PagerDuty, may then keep
        // an incident open until it is resolved there).
        if silencedBy != nil { return .suppress(.silenced) }

        switch event {
        case .acknowledged, .resolved:
            // Rule 2: closing events are sent whatever the alert's state, inhibition or storm:
            // they close what an earlier notification opened (PagerDuty incidents mirror
            // Vigil's alert), and a receiver that never saw the opening ignores them.
            return .send

        case .triggered, .reopened, .escalated:
            // Rule 3: an opening event for an alert that is resolved by now is stale; the
            // resolution (rule 2) is what the receiver should hear about.
            if alertState == .resolved { return .suppress(.resolvedBeforeSend) }
            // Rule 4: an escalation of an acknowledged alert is stale (acknowledging stops
            // escalation). A trigger or reopen acknowledged before it went out is still sent:
            // the acknowledgement notification follows it.
            if event == .escalated, alertState == .acknowledged { return .suppress(.acknowledged) }
            // Rule 5: inhibited alerts do not page (the inhibiting alert already did).
            if inhibited { return .suppress(.inhibited) }
            // Rule 6: the storm guard counts new alerts only, so it applies to `triggered`
            // only; past the threshold the alert waits for the minute's summary.
            if event == .triggered, case .suppressIntoSummary = storm { return .suppress(.stormGuard) }
            return .send
        }
    }
}

/// What `NotifyDecision.decide` says.
public enum NotifyOutcome: Sendable, Equatable, Hashable {
    case send
    case suppress(NotifyDecision.Suppression)
}
