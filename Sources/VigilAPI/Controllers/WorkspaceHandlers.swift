import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func createWorkspace(_ input: Operations.CreateWorkspace.Input) async throws -> Operations.CreateWorkspace.Output {
        let info = try await asAdmin()
        guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
        let (workspace, key) = try await services.workspaces.create(
            WorkspaceCreation(name: body.name, slug: body.slug, settings: WorkspaceSettings(body.settings)),
            actor: .admin, metadata: info.metadata)
        return .created(.init(body: .json(.init(workspace: .init(workspace), apiKey: .init(key)))))
    }

    func listWorkspaces(_ input: Operations.ListWorkspaces.Input) async throws -> Operations.ListWorkspaces.Output {
        _ = try await asAdmin()
        let page = try await services.workspaces.list(limit: input.query.limit, cursor: input.query.cursor)
        return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.Workspace.init), nextCursor: page.nextCursor))))
    }

    func updateWorkspace(_ input: Operations.UpdateWorkspace.Input) async throws -> Operations.UpdateWorkspace.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            var settings: WorkspaceSettings?
            if let payload = body.settings {
                var merged = caller.workspace.settings
                merged.apply(payload)
                settings = merged
            }
            let updated = try await services.workspaces.update(caller.workspace, with: WorkspaceChange(name: body.name, settings: settings),
                                                               actor: .apiKey(caller.keyID), metadata: info.metadata)
            return .ok(.init(body: .json(.init(updated))))
        }
    }

    func getWorkspace(_ input: Operations.GetWorkspace.Input) async throws -> Operations.GetWorkspace.Output {
        try await withCaller(input.path.workspace, role: nil) { caller, _ in
            .ok(.init(body: .json(.init(caller.workspace))))
        }
    }
}

extension WorkspaceSettings {
    /// Settings from a request: absent fields keep their defaults.
    init(_ payload: Components.Schemas.WorkspaceSettings?) {
        self.init()
        if let payload { apply(payload) }
    }

    /// Overwrites the fields the request gives; the others keep their values.
    mutating func apply(_ payload: Components.Schemas.WorkspaceSettings) {
        if let zone = payload.timeZone { timeZone = zone }
        if let policy = payload.redaction {
            if let enabled = policy.enabled { redaction.enabled = enabled }
            if let mode = policy.mode { redaction.mode = mode == .pseudonymize ? .pseudonymize : .mask }
            if let keys = policy.allowedTagKeys { redaction.allowedTagKeys = Set(keys) }
        }
        if let alertingPayload = payload.alerting {
            if let keys = alertingPayload.groupBy { alerting.groupBy = keys }
            if let threshold = alertingPayload.stormThreshold { alerting.stormThreshold = threshold }
            if let window = alertingPayload.dedupWindowSeconds { alerting.dedupWindowSeconds = window }
        }
        if let days = payload.retentionDays {
            if let v = days.metrics { retentionDays.metrics = v }
            if let v = days.alerts { retentionDays.alerts = v }
            if let v = days.securityEvents { retentionDays.securityEvents = v }
            if let v = days.notifications { retentionDays.notifications = v }
            if let v = days.auditLog { retentionDays.auditLog = v }
        }
    }
}

extension Components.Schemas.Workspace {
    init(_ w: Workspace) {
        let days = w.settings.retentionDays
        self.init(
            id: w.id.uuidString.lowercased(), slug: w.slug, name: w.name,
            settings: .init(alerting: .init(groupBy: w.settings.alerting.groupBy, stormThreshold: w.settings.alerting.stormThreshold,
                                            dedupWindowSeconds: w.settings.alerting.dedupWindowSeconds),
                            redaction: .init(enabled: w.settings.redaction.enabled,
                                             mode: w.settings.redaction.mode == .pseudonymize ? .pseudonymize : .mask,
                                             allowedTagKeys: w.settings.redaction.allowedTagKeys.sorted()),
                            retentionDays: .init(metrics: days.metrics, alerts: days.alerts, securityEvents: days.securityEvents,
                                                 notifications: days.notifications, auditLog: days.auditLog),
                            timeZone: w.settings.timeZone),
            createdAt: w.createdAt)
    }
}
