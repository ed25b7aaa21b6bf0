import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func createAlert(_ input: Operations.CreateAlert.Input) async throws -> Operations.CreateAlert.Output {
        try await withCaller(input.path.workspace, role: .ingest) { caller, _ in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let submission = AlertSubmission(
                title: body.title, message: body.message ?? "", severity: AlertSeverity(body.severity), source: body.source,
                labels: body.labels?.additionalProperties ?? [:], annotations: body.annotations?.additionalProperties ?? [:],
                dedupKey: body.dedupKey, escalationPolicyID: try body.escalationPolicy.map { try Self.uuid($0, field: "escalation_policy") })
            let (alert, outcome) = try await services.alerts.submit(submission, in: caller.workspace, actor: caller.timelineActor)
            let payload = Components.Schemas.AlertSubmission(outcome: .init(rawValue: outcome.rawValue) ?? .created, alert: .init(alert))
            return outcome == .created ? .created(.init(body: .json(payload))) : .ok(.init(body: .json(payload)))
        }
    }

    func listAlerts(_ input: Operations.ListAlerts.Input) async throws -> Operations.ListAlerts.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let q = input.query
            var labels: [String: String] = [:]
            for pair in q.label ?? [] {
                guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                    throw ServiceError.invalid(field: "label", message: "a label filter is key=value")
                }
                labels[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            let filter = AlertFilter(state: q.state.flatMap { AlertState(rawValue: $0.rawValue) }, severity: q.severity.map(AlertSeverity.init),
                                     source: q.source, labels: labels)
            let page = try await services.alerts.list(in: caller.workspace, filter: filter, limit: q.limit, cursor: q.cursor)
            return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.Alert.init), nextCursor: page.nextCursor))))
        }
    }

    func getAlert(_ input: Operations.GetAlert.Input) async throws -> Operations.GetAlert.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let details = try await services.alerts.details(id: try Self.uuid(input.path.id), in: caller.workspace)
            return .ok(.init(body: .json(.init(alert: .init(details.alert), timeline: details.timeline.map(Components.Schemas.AlertEvent.init),
                                               notifications: details.notifications.map(Components.Schemas.Notification.init)))))
        }
    }

    func acknowledgeAlert(_ input: Operations.AcknowledgeAlert.Input) async throws -> Operations.AcknowledgeAlert.Output {
        .ok(.init(body: .json(try await transition(.acknowledge, workspace: input.path.workspace, id: input.path.id, note: input.body.flatMap { switch $0 { case .json(let action): action.note } }))))
    }

    func resolveAlert(_ input: Operations.ResolveAlert.Input) async throws -> Operations.ResolveAlert.Output {
        .ok(.init(body: .json(try await transition(.resolve, workspace: input.path.workspace, id: input.path.id, note: input.body.flatMap { switch $0 { case .json(let action): action.note } }))))
    }

    func reopenAlert(_ input: Operations.ReopenAlert.Input) async throws -> Operations.ReopenAlert.Output {
        .ok(.init(body: .json(try await transition(.reopen, workspace: input.path.workspace, id: input.path.id, note: input.body.flatMap { switch $0 { case .json(let action): action.note } }))))
    }

    func escalateAlert(_ input: Operations.EscalateAlert.Input) async throws -> Operations.EscalateAlert.Output {
        .ok(.init(body: .json(try await transition(.escalate, workspace: input.path.workspace, id: input.path.id, note: input.body.flatMap { switch $0 { case .json(let action): action.note } }))))
    }

    func listNotifications(_ input: Operations.ListNotifications.Input) async throws -> Operations.ListNotifications.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let q = input.query
            let page = try await services.notifications.list(in: caller.workspace.id, alertID: try q.alertId.map { try Self.uuid($0, field: "alert_id") },
                                                             limit: q.limit, cursor: q.cursor)
            return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.Notification.init), nextCursor: page.nextCursor))))
        }
    }

    private func transition(_ transition: AlertTransition, workspace: String, id: String, note: String?) async throws -> Components.Schemas.Alert {
        try await withCaller(workspace, role: .member) { caller, _ in
            .init(try await services.alerts.apply(transition, to: try Self.uuid(id), in: caller.workspace, actor: caller.timelineActor, note: note))
        }
    }

    static func uuid(_ text: String, field: String = "id") throws -> UUID {
        guard let id = UUID(uuidString: text) else { throw ServiceError.invalid(field: field, message: "\(field) must be a uuid") }
        return id
    }
}

extension WorkspaceCaller {
    /// How the timeline names who acted.
    var timelineActor: String { "api_key:\(keyID.uuidString.lowercased())" }
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

extension Components.Schemas.AlertEvent {
    init(_ e: AlertEventRecord) {
        let details = (try? JSONDecoder().decode([String: String].self, from: Data(e.detailsJSON.utf8))) ?? [:]
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
