import Foundation
import VigilCore
import VigilServices

/// Alert request bodies and queries to core values, and alerts, timelines, notifications and
/// Alertmanager receipts to response bodies.

extension WorkspaceCaller {
    /// How the timeline names who acted.
    var timelineActor: String { "api_key:\(keyID.uuidString.lowercased())" }
}

extension AlertSubmission {
    init(_ body: Components.Schemas.AlertCreate) throws {
        self.init(title: body.title, message: body.message ?? "", severity: AlertSeverity(body.severity), source: body.source,
                  labels: body.labels?.additionalProperties ?? [:], annotations: body.annotations?.additionalProperties ?? [:],
                  dedupKey: body.dedupKey, escalationPolicyID: try body.escalationPolicy.map { try APIController.uuid($0, field: "escalation_policy") })
    }
}

extension AlertFilter {
    /// As the spec's `maxItems` on `label`.
    static let maxLabelFilters = 20

    /// The list filters; `label` values are `key=value`.
    init(_ q: Operations.ListAlerts.Input.Query) throws {
        var labels: [String: String] = [:]
        if let filters = q.label, filters.count > Self.maxLabelFilters {
            throw ServiceError.invalid(field: "label", message: "at most \(Self.maxLabelFilters) label filters")
        }
        for pair in q.label ?? [] {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ServiceError.invalid(field: "label", message: "a label filter is key=value")
            }
            labels[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        self.init(state: q.state.flatMap { AlertState(rawValue: $0.rawValue) }, severity: q.severity.map(AlertSeverity.init),
                  source: try APIController.bounded(q.source, field: "source", minLength: 1, maxLength: 200), labels: labels)
    }
}

extension AlertSeverity {
    init(_ severity: Components.Schemas.AlertSeverity) {
        self = AlertSeverity(parsing: severity.rawValue) ?? .medium
    }
}

extension Components.Schemas.AlertSeverity {
    init(_ severity: AlertSeverity) {
        self = .init(rawValue: severity.rawValue) ?? .medium
    }
}

extension Components.Schemas.Alert {
    init(_ a: AlertRecord) {
        self.init(
            id: a.id.uuidString.lowercased(), fingerprint: a.fingerprint, title: a.title, message: a.message, severity: .init(a.severity),
            source: a.source, labels: .init(additionalProperties: a.labels), annotations: .init(additionalProperties: a.annotations),
            state: .init(rawValue: a.state.rawValue) ?? .triggered, version: a.version, occurrenceCount: a.occurrenceCount,
            triggeredAt: a.triggeredAt, lastSeenAt: a.lastSeenAt, acknowledgedAt: a.acknowledgedAt, acknowledgedBy: a.acknowledgedBy,
            resolvedAt: a.resolvedAt, resolvedBy: a.resolvedBy, escalationPolicyId: a.escalationPolicyID?.uuidString.lowercased(),
            escalationLoop: a.escalationStep?.loop, escalationLevel: a.escalationStep?.level, stormSuppressed: a.stormSuppressed,
            createdAt: a.createdAt)
    }
}

extension Components.Schemas.AlertDetail {
    init(_ d: AlertDetails) throws {
        self.init(alert: .init(d.alert), timeline: try d.timeline.map(Components.Schemas.AlertEvent.init),
                  notifications: d.notifications.map(Components.Schemas.Notification.init))
    }
}

extension Components.Schemas.AlertEvent {
    /// Throws when the stored details do not decode (a corrupt row), rather than showing none.
    init(_ e: AlertEventRecord) throws {
        let details = try StoredJSON.decode([String: String].self, e.detailsJSON, row: "alert_events \(e.id) details")
        self.init(id: e.id, at: e.at, kind: e.kind, actor: e.actor, note: e.note, fromState: e.fromState?.rawValue,
                  toState: e.toState?.rawValue, details: .init(additionalProperties: details))
    }
}

extension Components.Schemas.Notification {
    init(_ n: NotificationRecord) {
        self.init(id: n.id, alertId: n.alertID?.uuidString.lowercased(), channelId: n.channelID?.uuidString.lowercased(),
                  channelKind: n.channelKind, event: n.event, idempotencyKey: n.idempotencyKey, attempt: n.attempt,
                  status: .init(rawValue: n.status.rawValue) ?? .failed, statusCode: n.statusCode, error: n.error,
                  durationMs: n.durationMilliseconds, payloadSha256: n.payloadSHA256, createdAt: n.createdAt)
    }
}

extension Components.Schemas.AlertmanagerReceipt {
    init(_ r: VigilServices.AlertmanagerReceipt) {
        self.init(received: r.received, created: r.created, deduplicated: r.deduplicated, reopened: r.reopened,
                  resolved: r.resolved, ignored: r.ignored, refused: r.refused)
    }
}
