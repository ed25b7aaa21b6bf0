import Foundation
import VigilCore
import VigilRepositories

/// What happens inside an alert transaction after a change: the timeline entry, the decision to
/// notify (silences, inhibition, storm guard), the delivery jobs, and escalation scheduling.
/// Every method runs on the caller's connection, so it commits or rolls back with the change;
/// the configuration the decisions read was loaded before the transaction (`AlertingSnapshot`).
struct AlertDispatch: Sendable {
    let workspace: Workspace
    let now: Date
    let configuration: AlertingSnapshot
    let alerts = AlertRepository()
    let ledger = NotificationLedgerRepository()
    let queue = JobQueue()

    var workspaceID: UUID { workspace.id }

    func appendEvent(_ kind: String, alert: AlertRecord, actor: String, note: String? = nil, from: AlertState? = nil,
                     to: AlertState? = nil, details: [String: String] = [:], on connection: Transaction) async throws {
        let json = String(decoding: try JSONEncoder.sortedKeys.encode(details), as: UTF8.self)
        try await alerts.appendEvent(AlertEventRecord(at: now, kind: kind, actor: actor, note: note, fromState: from, toState: to,
                                                      detailsJSON: json),
                                     alertID: alert.id, workspaceID: workspaceID, on: connection)
    }

    /// Notifies an opening event (`triggered`, `reopened`, `escalated`) unless a silence, an
    /// inhibition or the storm guard holds it back; `channelIDs` nil means "by the routes".
    func notifyOpening(_ event: NotificationEvent, alert: AlertRecord, channelIDs: [String]?, storm: StormGuard.Decision,
                       discriminator: String, on connection: Transaction) async throws {
        let silencedBy = configuration.activeSilence(for: alert.labels, at: now)
        let inhibited = try await isInhibited(alert, on: connection)
        switch NotifyDecision.decide(event: event, alertState: alert.state, silencedBy: silencedBy, inhibited: inhibited, storm: storm) {
        case .send:
            let targets = configuration.targetChannels(for: alert, explicit: channelIDs)
            try await enqueueDeliveries(event, alert: alert, channelIDs: targets, discriminator: discriminator, on: connection)
        case .suppress(let reason):
            var details = ["reason": reason.rawValue, "event": event.rawValue]
            if let silencedBy { details["silence_id"] = silencedBy }
            try await appendEvent("notification_suppressed", alert: alert, actor: "system", details: details, on: connection)
            try await ledger.append(NotificationRecord(alertID: alert.id, channelID: nil, channelKind: nil, event: event.rawValue,
                                                       idempotencyKey: "\(alert.id.lowercased):\(event.rawValue):\(discriminator):suppressed",
                                                       attempt: 0, status: .suppressed, error: reason.rawValue),
                                    workspaceID: workspaceID, on: connection)
            // Held by the storm guard (or past the threshold but silenced/inhibited first): the
            // minute's summary must exist either way; its unique key makes this idempotent.
            if case .suppressIntoSummary = storm {
                try await holdForStormSummary(alert, counted: reason == .stormGuard, on: connection)
            }
        }
    }

    /// Acknowledgements and resolutions go wherever the alert's opening went (so PagerDuty and
    /// chat threads close what they opened); nothing when it was never notified. A silence still
    /// applies.
    func notifyClosing(_ event: NotificationEvent, alert: AlertRecord, discriminator: String, on connection: Transaction) async throws {
        let notified = try await ledger.channelsNotified(alertID: alert.id, on: connection)
        guard !notified.isEmpty else { return }
        if configuration.activeSilence(for: alert.labels, at: now) != nil { return }
        try await enqueueDeliveries(event, alert: alert, channelIDs: notified.map(\.lowercased), discriminator: discriminator, on: connection)
    }

    func enqueueDeliveries(_ event: NotificationEvent, alert: AlertRecord, channelIDs: [String], discriminator: String,
                           escalationLevel: Int? = nil, on connection: Transaction) async throws {
        for channel in channelIDs {
            guard let channelID = UUID(uuidString: channel) else { continue }
            let key = "\(alert.id.lowercased):\(event.rawValue):\(discriminator):\(channel)"
            let args = AlertJobs.NotifyArgs(alertID: alert.id, channelID: channelID, event: event.rawValue, idempotencyKey: key,
                                            escalationLevel: escalationLevel)
            try await queue.enqueue(args, in: workspaceID, on: connection, uniqueKey: "notify:\(key)")
        }
    }

    /// Schedules the escalation step after `after` (the first when nil), due its level's delay after `anchor`.
    func scheduleEscalation(for alert: AlertRecord, after step: EscalationStep?, from anchor: Date, on connection: Transaction) async throws {
        guard let policy = alert.escalationPolicy,
              let next = EscalationPlan(policy: policy).next(after: step, from: anchor) else { return }
        let args = AlertJobs.EscalateArgs(alertID: alert.id, generation: alert.escalationGeneration, step: next.step)
        try await queue.enqueue(args, in: workspaceID, on: connection,
                                uniqueKey: "escalate:\(alert.id.lowercased):\(alert.escalationGeneration):\(next.step.loop):\(next.step.level)",
                                runAt: next.fireAt)
    }

    func scheduleAckTimeout(for alert: AlertRecord, on connection: Transaction) async throws {
        guard let policy = alert.escalationPolicy, let acknowledgedAt = alert.acknowledgedAt,
              let deadline = EscalationPlan(policy: policy).ackTimeoutDeadline(acknowledgedAt: acknowledgedAt) else { return }
        let args = AlertJobs.AckTimeoutArgs(alertID: alert.id, generation: alert.escalationGeneration)
        try await queue.enqueue(args, in: workspaceID, on: connection,
                                uniqueKey: "ack-timeout:\(alert.id.lowercased):\(alert.escalationGeneration)", runAt: deadline)
    }

    // MARK: - Decisions

    /// Inhibition needs the alerts firing now, read in the transaction; the rules come from
    /// the snapshot and match in memory.
    func isInhibited(_ alert: AlertRecord, on connection: Transaction) async throws -> Bool {
        guard !configuration.inhibitRules.isEmpty else { return false }
        let sources = try await alerts.triggeredLabels(on: connection)
            .map { InhibitRule.Candidate(fingerprint: $0.fingerprint, labels: $0.labels) }
        let target = InhibitRule.Candidate(fingerprint: alert.fingerprint, labels: alert.labels)
        return configuration.inhibitRules.contains { $0.inhibits(target, sources: sources) }
    }

    private func holdForStormSummary(_ alert: AlertRecord, counted: Bool, on connection: Transaction) async throws {
        let minute = StormGuard.minute(containing: now)
        if counted {
            let key = NotificationGrouping.groupKey(labels: alert.labels, by: workspace.settings.alerting.groupBy)
            try await alerts.recordSuppressed(groupKey: key, minute: minute, on: connection)
        }
        try await queue.enqueue(AlertJobs.StormSummaryArgs(minute: minute), in: workspaceID, on: connection,
                                uniqueKey: "storm-summary:\(minute)", runAt: StormGuard.summaryDue(forMinute: minute))
    }
}

extension UUID {
    var lowercased: String { uuidString.lowercased() }
}

/// JSON for alerting documents and timeline details: sorted keys, so stored text is stable.
/// (Reading them back is `StoredJSON`, which names the row when one does not decode.)
enum AlertingJSON {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder.sortedKeys.encode(value), as: UTF8.self)
    }
}
