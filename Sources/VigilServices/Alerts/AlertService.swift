import Foundation
import VigilCore
import VigilRepositories

/// A new alert as submitted (API or Alertmanager).
public struct AlertSubmission: Sendable {
    public var title: String
    public var message: String
    public var severity: AlertSeverity
    public var source: String
    public var labels: [String: String]
    public var annotations: [String: String]
    public var dedupKey: String?
    public var escalationPolicyID: UUID?
    /// Whether the dedup key came from a client (checked against Vigil's reserved namespaces)
    /// or from Vigil itself.
    public var origin: AlertOrigin

    public init(title: String, message: String = "", severity: AlertSeverity, source: String, labels: [String: String] = [:],
                annotations: [String: String] = [:], dedupKey: String? = nil, escalationPolicyID: UUID? = nil,
                origin: AlertOrigin = .client) {
        self.title = title; self.message = message; self.severity = severity; self.source = source; self.labels = labels
        self.annotations = annotations; self.dedupKey = dedupKey; self.escalationPolicyID = escalationPolicyID
        self.origin = origin
    }
}

extension AlertSubmission {
    /// The submission with its title, message and label/annotation values as the workspace's
    /// redaction policy lets them be stored (unchanged when the policy is off). The dedup key is
    /// an identifier the client chooses and is kept as sent (docs/api.md).
    func redacted(by redactor: PIIRedactor?) -> AlertSubmission {
        guard let redactor else { return self }
        let texts = AlertTexts(title: title, message: message, labels: labels, annotations: annotations).redacted(by: redactor)
        var copy = self
        copy.title = texts.title; copy.message = texts.message; copy.labels = texts.labels; copy.annotations = texts.annotations
        return copy
    }
}

/// What submitting an alert did.
public enum AlertSubmissionOutcome: String, Sendable {
    case created, deduplicated, reopened
}

/// An alert with its timeline and its notification attempts.
public struct AlertDetails: Sendable {
    public var alert: AlertRecord
    public var timeline: [AlertEventRecord]
    public var notifications: [NotificationRecord]
}

/// Alert lifecycle use cases: submit (with deduplication), list, show, and the operator
/// transitions. Each runs in one workspace transaction; changes to an existing alert are
/// compare-and-set, retried a few times when a concurrent change wins.
public struct AlertService: Sendable {
    let database: Database
    let clock: WallClock
    let alerts = AlertRepository()
    let ledger = NotificationLedgerRepository()
    let policies = AlertingConfigRepository(.escalationPolicies)

    static let casAttempts = 8

    public init(database: Database, clock: WallClock) {
        self.database = database
        self.clock = clock
    }

    /// - Parameter idempotency: stores the answer under the request's `Idempotency-Key` in the
    ///   same transaction as the alert.
    public func submit(_ submission: AlertSubmission, in workspace: Workspace, actor: String,
                       idempotency: IdempotencyHook<(AlertRecord, AlertSubmissionOutcome)>? = nil) async throws -> (AlertRecord, AlertSubmissionOutcome) {
        _ = try Self.checkedFingerprint(submission)  // validated as sent
        // Texts a client wrote pass the workspace's redaction policy before they are stored or
        // fingerprinted; Vigil's own alerts are built from stores already under the policy.
        let submission = submission.origin == .client
            ? submission.redacted(by: try await WorkspaceRedaction.redactor(for: workspace, database: database).redactor)
            : submission
        let fingerprint = try Self.checkedFingerprint(submission)
        let now = clock.now()
        let configuration = try await loadConfiguration(workspace, at: now)
        return try await database.inWorkspace(workspace.id) { connection in
            try await recordingIdempotency(idempotency, on: connection) {
                let dispatch = AlertDispatch(workspace: workspace, now: now, configuration: configuration)
                return try await submit(submission, fingerprint: fingerprint, in: workspace, actor: actor, dispatch: dispatch, on: connection)
            }
        }
    }

    /// The submission validated; its fingerprint.
    static func checkedFingerprint(_ submission: AlertSubmission) throws -> String {
        do {
            try AlertInputRules.validate(title: submission.title, message: submission.message, source: submission.source,
                                         labels: submission.labels, annotations: submission.annotations)
            if let key = submission.dedupKey {
                switch submission.origin {
                case .client: try AlertFingerprint.validateClientDedupKey(key)
                case .internal: try AlertFingerprint.validateDedupKey(key)
                }
            }
        } catch { throw ServiceError(error) }
        return AlertFingerprint.of(dedupKey: submission.dedupKey, source: submission.source, title: submission.title,
                                   labels: submission.labels)
    }

    /// Submits on an open transaction (the API's one alert, or each alert of an Alertmanager
    /// batch in the batch's one transaction).
    func submit(_ submission: AlertSubmission, fingerprint: String, in workspace: Workspace, actor: String, dispatch: AlertDispatch,
                on connection: Transaction) async throws -> (AlertRecord, AlertSubmissionOutcome) {
        let now = dispatch.now
        let policy = try await submission.escalationPolicyID.asyncMap { id -> EscalationPolicy in
            guard let document = try await policies.find(id: id, on: connection) else {
                throw ServiceError.invalid(field: "escalation_policy", message: "no escalation policy \(id.lowercased) in this workspace")
            }
            return try StoredJSON.decode(EscalationPolicyDocument.self, document.specJSON, row: "escalation_policies \(id.lowercased)").policy
        }
        for _ in 0..<Self.casAttempts {
            let existing = try await alerts.latest(fingerprint: fingerprint, on: connection)
            let window = TimeInterval(workspace.settings.alerting.dedupWindowSeconds)
            switch DedupDecision.decide(existing: existing.map { .init(state: $0.state, resolvedAt: $0.resolvedAt) }, now: now, window: window) {
            case .createNew:
                let ordinal = try await alerts.countNewAlert(minute: StormGuard.minute(containing: now), workspaceID: workspace.id, on: connection)
                let storm = StormGuard.decide(ordinal: ordinal, threshold: workspace.settings.alerting.stormThreshold)
                var record = AlertRecord(
                    id: UUID(), fingerprint: fingerprint, title: submission.title, message: submission.message,
                    severity: submission.severity, source: submission.source, labels: submission.labels,
                    annotations: submission.annotations, state: .triggered, triggeredAt: now, lastSeenAt: now,
                    escalationPolicyID: policy == nil ? nil : submission.escalationPolicyID, escalationPolicy: policy,
                    createdAt: now)
                if case .suppressIntoSummary = storm { record.stormSuppressed = true }
                guard let inserted = try await alerts.insert(record, workspaceID: workspace.id, on: connection) else { continue }
                try await dispatch.appendEvent("triggered", alert: inserted, actor: actor, to: .triggered,
                                               details: ["severity": inserted.severity.rawValue], on: connection)
                try await startNotifying(inserted, event: .triggered, storm: storm, dispatch: dispatch, on: connection)
                return (inserted, .created)
            case .incrementOccurrence:
                guard var current = existing else { continue }
                let previous = current.severity
                current.occurrenceCount += 1
                current.lastSeenAt = now
                current.severity = max(current.severity, submission.severity)
                guard let updated = try await alerts.update(current, on: connection) else { continue }
                try await raiseSeverityIfHigher(updated, from: previous, actor: actor, notify: true, dispatch: dispatch, on: connection)
                return (updated, .deduplicated)
            case .reopenResolved:
                guard var current = existing else { continue }
                let previous = current.severity
                current.severity = max(current.severity, submission.severity)
                guard let reopened = try await reopen(current, actor: actor, note: nil, occurrence: true, dispatch: dispatch, on: connection) else { continue }
                // Reopening already notified, at the new severity.
                try await raiseSeverityIfHigher(reopened, from: previous, actor: actor, notify: false, dispatch: dispatch, on: connection)
                return (reopened, .reopened)
            }
        }
        throw ServiceError.conflict("the alert kept changing concurrently; retry")
    }

    public func list(in workspace: Workspace, filter: AlertFilter, limit: Int?, cursor: String?) async throws -> Page<AlertRecord> {
        try await paged(limit: limit, cursor: cursor, position: { TimeCursor(createdAt: $0.createdAt, id: $0.id) }) { page in
            // One statement: the whole transaction is one round trip (the read path of issue 17).
            try await database.statementInWorkspace(workspace.id) { try await alerts.list(filter, after: page.cursor, limit: page.limit, on: $0) }
        }
    }

    /// The workspace's alert-list version, bumped with any change to one of its alerts (what
    /// a cached list answer is checked against): one statement, one round trip, which also
    /// re-checks the request's key.
    public func listVersion(in workspace: Workspace) async throws -> Int64 {
        try await database.statementInWorkspace(workspace.id) { try await alerts.listVersion(on: $0) }
    }

    public func details(id: UUID, in workspace: Workspace) async throws -> AlertDetails {
        try await database.inWorkspace(workspace.id) { connection in
            guard let alert = try await alerts.find(id: id, on: connection) else { throw ServiceError.notFound("no alert \(id.lowercased)") }
            return AlertDetails(alert: alert, timeline: try await alerts.events(alertID: id, on: connection),
                                notifications: try await ledger.list(alertID: id, beforeID: nil, limit: Pagination.maxLimit, on: connection).reversed())
        }
    }

    /// acknowledge, resolve, reopen or escalate. Repeating one that already happened is a no-op
    /// returning the alert; an illegal one is a conflict naming the state.
    /// The newest alert Vigil raised under `dedupKey` from `source`, unless it is resolved: what
    /// an internal raiser (SLO burn, performance regression) resolves when its condition passes.
    public func openAlert(dedupKey: String, source: String, in workspace: Workspace) async throws -> AlertRecord? {
        try await database.inWorkspace(workspace.id) { try await openAlert(dedupKey: dedupKey, source: source, on: $0) }
    }

    func openAlert(dedupKey: String, source: String, on connection: Transaction) async throws -> AlertRecord? {
        let fingerprint = AlertFingerprint.of(dedupKey: dedupKey, source: source, title: "", labels: [:])
        guard let alert = try await alerts.latest(fingerprint: fingerprint, on: connection), alert.state != .resolved else { return nil }
        return alert
    }

    public func apply(_ transition: AlertTransition, to id: UUID, in workspace: Workspace, actor: String, note: String?) async throws -> AlertRecord {
        if let note, note.unicodeScalars.count > 2000 { throw ServiceError.invalid(field: "note", message: "note must be at most 2000 characters") }
        let now = clock.now()
        let configuration = try await loadConfiguration(workspace, at: now)
        return try await database.inWorkspace(workspace.id) { connection in
            let dispatch = AlertDispatch(workspace: workspace, now: now, configuration: configuration)
            for _ in 0..<Self.casAttempts {
                guard let alert = try await alerts.find(id: id, on: connection) else { throw ServiceError.notFound("no alert \(id.lowercased)") }
                if let changed = try await apply(transition, to: alert, actor: actor, note: note, dispatch: dispatch, on: connection) {
                    return changed
                }
            }
            throw ServiceError.conflict("the alert kept changing concurrently; retry")
        }
    }

    /// nil when the compare-and-set lost (the caller re-reads and retries).
    func apply(_ transition: AlertTransition, to alert: AlertRecord, actor: String, note: String?, dispatch: AlertDispatch,
               on connection: Transaction) async throws -> AlertRecord? {
        switch AlertStateMachine.apply(transition, to: alert.state) {
        case .illegal(let illegal):
            throw ServiceError.conflict(illegal.message)
        case .noOp:
            return alert
        case .applied:
            switch transition {
            case .acknowledge: return try await acknowledge(alert, actor: actor, note: note, dispatch: dispatch, on: connection)
            case .resolve: return try await resolve(alert, actor: actor, note: note, dispatch: dispatch, on: connection)
            case .reopen: return try await reopen(alert, actor: actor, note: note, occurrence: false, dispatch: dispatch, on: connection)
            case .escalate: return try await escalateNow(alert, actor: actor, note: note, dispatch: dispatch, on: connection)
            case .ackTimeout, .occurrence:
                // Not operator actions: the worker (AlertScheduledWork) and submit apply these.
                return alert
            }
        }
    }

    // MARK: - Transitions (each: compare-and-set, timeline, notifications, escalation jobs)

    private func acknowledge(_ alert: AlertRecord, actor: String, note: String?, dispatch: AlertDispatch, on connection: Transaction) async throws -> AlertRecord? {
        var next = alert
        next.state = .acknowledged
        next.acknowledgedAt = dispatch.now
        next.acknowledgedBy = actor
        next.escalationGeneration += 1       // stops queued escalation steps
        guard let updated = try await alerts.update(next, on: connection) else { return nil }
        try await dispatch.appendEvent("acknowledged", alert: updated, actor: actor, note: note, from: alert.state, to: .acknowledged, on: connection)
        try await dispatch.notifyClosing(.acknowledged, alert: updated, discriminator: "v\(updated.version)", on: connection)
        try await dispatch.scheduleAckTimeout(for: updated, on: connection)
        return updated
    }

    private func resolve(_ alert: AlertRecord, actor: String, note: String?, dispatch: AlertDispatch, on connection: Transaction) async throws -> AlertRecord? {
        var next = alert
        next.state = .resolved
        next.resolvedAt = dispatch.now
        next.resolvedBy = actor
        next.escalationGeneration += 1       // ends escalation and any acknowledgement timeout
        guard let updated = try await alerts.update(next, on: connection) else { return nil }
        try await dispatch.appendEvent("resolved", alert: updated, actor: actor, note: note, from: alert.state, to: .resolved, on: connection)
        try await dispatch.notifyClosing(.resolved, alert: updated, discriminator: "v\(updated.version)", on: connection)
        return updated
    }

    /// A resolved alert triggers again (operator reopen, or its fingerprint seen within the dedup window).
    func reopen(_ alert: AlertRecord, actor: String, note: String?, occurrence: Bool, dispatch: AlertDispatch,
                on connection: Transaction) async throws -> AlertRecord? {
        var next = alert
        next.state = .triggered
        next.triggeredAt = dispatch.now
        next.lastSeenAt = dispatch.now
        if occurrence { next.occurrenceCount += 1 }
        next.acknowledgedAt = nil; next.acknowledgedBy = nil; next.resolvedAt = nil; next.resolvedBy = nil
        next.escalationStep = nil
        next.escalationGeneration += 1
        guard let updated = try await alerts.update(next, on: connection) else { return nil }
        try await dispatch.appendEvent("reopened", alert: updated, actor: actor, note: note, from: .resolved, to: .triggered,
                                       details: occurrence ? ["cause": "occurrence"] : [:], on: connection)
        try await startNotifying(updated, event: .reopened, storm: .notifyIndividually, dispatch: dispatch, on: connection)
        return updated
    }

    /// Manual escalation: notify the next level now and schedule the one after it. Without a
    /// policy (or once the policy is exhausted) the routed channels are told again.
    private func escalateNow(_ alert: AlertRecord, actor: String, note: String?, dispatch: AlertDispatch, on connection: Transaction) async throws -> AlertRecord? {
        var next = alert
        next.state = .triggered
        next.acknowledgedAt = nil; next.acknowledgedBy = nil
        next.escalationGeneration += 1
        let plan = alert.escalationPolicy.map(EscalationPlan.init(policy:))
        let step = plan?.step(after: alert.escalationStep)
        if let step { next.escalationStep = step }
        guard let updated = try await alerts.update(next, on: connection) else { return nil }
        var details: [String: String] = [:]
        if let step { details = ["loop": "\(step.loop)", "level": "\(step.level)"] }
        try await dispatch.appendEvent("escalated", alert: updated, actor: actor, note: note, from: alert.state, to: .triggered,
                                       details: details, on: connection)
        let channels = step.flatMap { plan?.channels(for: $0) }
        try await dispatch.notifyOpening(.escalated, alert: updated, channelIDs: channels, storm: .notifyIndividually,
                                         discriminator: "v\(updated.version)", on: connection)
        if let step { try await dispatch.scheduleEscalation(for: updated, after: step, from: dispatch.now, on: connection) }
        return updated
    }

    /// A (re)triggered alert: with an escalation policy, its first level is a scheduled job (the
    /// level's delay may be zero); without one, the routed channels are notified now.
    /// A repeat that is more severe than the alert it joins escalates it: the timeline says so
    /// and the routed channels are told, so a first low-severity submission under a key cannot
    /// keep a later critical one quiet.
    private func raiseSeverityIfHigher(_ alert: AlertRecord, from previous: AlertSeverity, actor: String, notify: Bool,
                                       dispatch: AlertDispatch, on connection: Transaction) async throws {
        guard alert.severity > previous else { return }
        try await dispatch.appendEvent("severity_raised", alert: alert, actor: actor,
                                       details: ["from": previous.rawValue, "to": alert.severity.rawValue], on: connection)
        guard notify else { return }
        try await dispatch.notifyOpening(.escalated, alert: alert, channelIDs: nil, storm: .notifyIndividually,
                                         discriminator: "v\(alert.version)", on: connection)
    }

    /// The alerting configuration, read in its own short transaction before the change's, so
    /// the write transaction never holds its locks while configuration is read and matched.
    func loadConfiguration(_ workspace: Workspace, at now: Date) async throws -> AlertingSnapshot {
        try await database.inWorkspace(workspace.id) { try await AlertingSnapshot.load(at: now, on: $0) }
    }

    private func startNotifying(_ alert: AlertRecord, event: NotificationEvent, storm: StormGuard.Decision, dispatch: AlertDispatch,
                                on connection: Transaction) async throws {
        if alert.escalationPolicy != nil {
            if case .suppressIntoSummary = storm {
                try await dispatch.notifyOpening(event, alert: alert, channelIDs: [], storm: storm, discriminator: "v\(alert.version)", on: connection)
            } else {
                try await dispatch.scheduleEscalation(for: alert, after: nil, from: dispatch.now, on: connection)
            }
        } else {
            try await dispatch.notifyOpening(event, alert: alert, channelIDs: nil, storm: storm, discriminator: "v\(alert.version)", on: connection)
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
