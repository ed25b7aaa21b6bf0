import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func createAlert(_ input: Operations.CreateAlert.Input) async throws -> Operations.CreateAlert.Output {
        try await withCaller(input.path.workspace, role: .ingest) { caller, _ in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let submission = try AlertSubmission(body)
            // A write-only ingest key learns what happened and the id, never the stored alert
            // (which a deduplicated create would otherwise hand back, whoever raised it). What the
            // caller may see is part of the fingerprint, so an ingest key replaying an admin's
            // key gets 409, not the stored alert.
            let readable = caller.role.permits(.viewer)
            let answer = try await IdempotencySupport.perform(
                .createAlert, rawKey: input.headers.idempotencyKey, workspaceID: caller.workspace.id, services: services,
                fingerprint: { try RequestFingerprint.of(.createAlert, target: readable ? "alert" : "id", value: body) },
                respond: { (result: (AlertRecord, AlertSubmissionOutcome)) in
                    let (alert, outcome) = result
                    let payload = Components.Schemas.AlertSubmission(outcome: .init(rawValue: outcome.rawValue) ?? .created,
                                                                     id: alert.id.uuidString.lowercased(), alert: readable ? .init(alert) : nil)
                    return try IdempotencySupport.answer(payload, status: outcome == .created ? 201 : 200)
                }
            ) { hook in
                try await services.alerts.submit(submission, in: caller.workspace, actor: caller.timelineActor, idempotency: hook)
            }
            let payload = try IdempotencySupport.body(Components.Schemas.AlertSubmission.self, of: answer)
            return answer.status == 201 ? .created(.init(body: .json(payload))) : .ok(.init(body: .json(payload)))
        }
    }

    func listAlerts(_ input: Operations.ListAlerts.Input) async throws -> Operations.ListAlerts.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let q = input.query
            let page = try await services.alerts.list(in: caller.workspace, filter: try AlertFilter(q), limit: q.limit, cursor: q.cursor)
            return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.Alert.init), nextCursor: page.nextCursor))))
        }
    }

    func getAlert(_ input: Operations.GetAlert.Input) async throws -> Operations.GetAlert.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            .ok(.init(body: .json(try .init(try await services.alerts.details(id: try Self.uuid(input.path.id), in: caller.workspace)))))
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
}
