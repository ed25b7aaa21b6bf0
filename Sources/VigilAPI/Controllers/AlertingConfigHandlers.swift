import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

/// Channels, routes, escalation policies, silences and inhibition rules: create, list, show,
/// replace, delete. Config is admin-only; silences are an operator tool (member role).
extension APIController {
    // MARK: Channels

    func createChannel(_ input: Operations.CreateChannel.Input) async throws -> Operations.CreateChannel.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let (spec, secrets) = Self.channel(body)
            let view = try await services.alerting.channels.create(spec, secrets: secrets, in: caller.workspace.id, actor: caller.actor, metadata: info.metadata)
            return .created(.init(body: .json(.init(view))))
        }
    }

    func listChannels(_ input: Operations.ListChannels.Input) async throws -> Operations.ListChannels.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            let page = try await services.alerting.channels.list(in: caller.workspace.id, limit: input.query.limit, cursor: input.query.cursor)
            return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.Channel.init), nextCursor: page.nextCursor))))
        }
    }

    func getChannel(_ input: Operations.GetChannel.Input) async throws -> Operations.GetChannel.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            .ok(.init(body: .json(.init(try await services.alerting.channels.get(try Self.uuid(input.path.id), in: caller.workspace.id)))))
        }
    }

    func updateChannel(_ input: Operations.UpdateChannel.Input) async throws -> Operations.UpdateChannel.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let (spec, secrets) = Self.channel(body)
            let view = try await services.alerting.channels.replace(try Self.uuid(input.path.id), with: spec, secrets: secrets,
                                                                    in: caller.workspace.id, actor: caller.actor, metadata: info.metadata)
            return .ok(.init(body: .json(.init(view))))
        }
    }

    func deleteChannel(_ input: Operations.DeleteChannel.Input) async throws -> Operations.DeleteChannel.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            try await services.alerting.channels.delete(try Self.uuid(input.path.id), in: caller.workspace.id, actor: caller.actor, metadata: info.metadata)
            return .noContent(.init())
        }
    }

    // MARK: Routes

    func createRoute(_ input: Operations.CreateRoute.Input) async throws -> Operations.CreateRoute.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let stored = try await services.alerting.routes.create(try Self.route(body), in: caller.workspace.id, actor: caller.actor, metadata: info.metadata)
            return .created(.init(body: .json(.init(stored))))
        }
    }

    func listRoutes(_ input: Operations.ListRoutes.Input) async throws -> Operations.ListRoutes.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            let page = try await services.alerting.routes.list(in: caller.workspace.id, limit: input.query.limit, cursor: input.query.cursor)
            return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.Route.init), nextCursor: page.nextCursor))))
        }
    }

    func getRoute(_ input: Operations.GetRoute.Input) async throws -> Operations.GetRoute.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            .ok(.init(body: .json(.init(try await services.alerting.routes.get(try Self.uuid(input.path.id), in: caller.workspace.id)))))
        }
    }

    func updateRoute(_ input: Operations.UpdateRoute.Input) async throws -> Operations.UpdateRoute.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let stored = try await services.alerting.routes.replace(try Self.uuid(input.path.id), with: try Self.route(body), in: caller.workspace.id,
                                                                   actor: caller.actor, metadata: info.metadata)
            return .ok(.init(body: .json(.init(stored))))
        }
    }

    func deleteRoute(_ input: Operations.DeleteRoute.Input) async throws -> Operations.DeleteRoute.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            try await services.alerting.routes.delete(try Self.uuid(input.path.id), in: caller.workspace.id, actor: caller.actor, metadata: info.metadata)
            return .noContent(.init())
        }
    }

    // MARK: Escalation policies

    func createEscalationPolicy(_ input: Operations.CreateEscalationPolicy.Input) async throws -> Operations.CreateEscalationPolicy.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let stored = try await services.alerting.escalationPolicies.create(Self.policy(body), in: caller.workspace.id, actor: caller.actor,
                                                                               metadata: info.metadata)
            return .created(.init(body: .json(.init(stored))))
        }
    }

    func listEscalationPolicies(_ input: Operations.ListEscalationPolicies.Input) async throws -> Operations.ListEscalationPolicies.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            let page = try await services.alerting.escalationPolicies.list(in: caller.workspace.id, limit: input.query.limit, cursor: input.query.cursor)
            return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.EscalationPolicy.init), nextCursor: page.nextCursor))))
        }
    }

    func getEscalationPolicy(_ input: Operations.GetEscalationPolicy.Input) async throws -> Operations.GetEscalationPolicy.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            .ok(.init(body: .json(.init(try await services.alerting.escalationPolicies.get(try Self.uuid(input.path.id), in: caller.workspace.id)))))
        }
    }

    func updateEscalationPolicy(_ input: Operations.UpdateEscalationPolicy.Input) async throws -> Operations.UpdateEscalationPolicy.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let stored = try await services.alerting.escalationPolicies.replace(try Self.uuid(input.path.id), with: Self.policy(body),
                                                                                in: caller.workspace.id, actor: caller.actor, metadata: info.metadata)
            return .ok(.init(body: .json(.init(stored))))
        }
    }

    func deleteEscalationPolicy(_ input: Operations.DeleteEscalationPolicy.Input) async throws -> Operations.DeleteEscalationPolicy.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            try await services.alerting.escalationPolicies.delete(try Self.uuid(input.path.id), in: caller.workspace.id, actor: caller.actor,
                                                                  metadata: info.metadata)
            return .noContent(.init())
        }
    }

    // MARK: Silences

    func createSilence(_ input: Operations.CreateSilence.Input) async throws -> Operations.CreateSilence.Output {
        try await withCaller(input.path.workspace, role: .member) { caller, info in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let stored = try await services.alerting.silences.create(try Self.silence(body, caller: caller), in: caller.workspace.id,
                                                                     actor: caller.actor, metadata: info.metadata)
            return .created(.init(body: .json(.init(stored, now: Date()))))
        }
    }

    func listSilences(_ input: Operations.ListSilences.Input) async throws -> Operations.ListSilences.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let page = try await services.alerting.silences.list(in: caller.workspace.id, limit: input.query.limit, cursor: input.query.cursor)
            let now = Date()
            return .ok(.init(body: .json(.init(items: page.items.map { .init($0, now: now) }, nextCursor: page.nextCursor))))
        }
    }

    func getSilence(_ input: Operations.GetSilence.Input) async throws -> Operations.GetSilence.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            .ok(.init(body: .json(.init(try await services.alerting.silences.get(try Self.uuid(input.path.id), in: caller.workspace.id), now: Date()))))
        }
    }

    func updateSilence(_ input: Operations.UpdateSilence.Input) async throws -> Operations.UpdateSilence.Output {
        try await withCaller(input.path.workspace, role: .member) { caller, info in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let stored = try await services.alerting.silences.replace(try Self.uuid(input.path.id), with: try Self.silence(body, caller: caller),
                                                                      in: caller.workspace.id, actor: caller.actor, metadata: info.metadata)
            return .ok(.init(body: .json(.init(stored, now: Date()))))
        }
    }

    /// Expires rather than deletes, as Alertmanager does: the silence stays listed as expired.
    func deleteSilence(_ input: Operations.DeleteSilence.Input) async throws -> Operations.DeleteSilence.Output {
        try await withCaller(input.path.workspace, role: .member) { caller, info in
            let now = Date()
            let stored = try await services.alerting.silences.modify(try Self.uuid(input.path.id), in: caller.workspace.id, action: "expired",
                                                                     actor: caller.actor, metadata: info.metadata) { $0.expired(at: now) }
            return .ok(.init(body: .json(.init(stored, now: now))))
        }
    }

    // MARK: Inhibition rules

    func createInhibitRule(_ input: Operations.CreateInhibitRule.Input) async throws -> Operations.CreateInhibitRule.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let stored = try await services.alerting.inhibitRules.create(try Self.inhibitRule(body), in: caller.workspace.id, actor: caller.actor,
                                                                         metadata: info.metadata)
            return .created(.init(body: .json(.init(stored))))
        }
    }

    func listInhibitRules(_ input: Operations.ListInhibitRules.Input) async throws -> Operations.ListInhibitRules.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            let page = try await services.alerting.inhibitRules.list(in: caller.workspace.id, limit: input.query.limit, cursor: input.query.cursor)
            return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.InhibitRule.init), nextCursor: page.nextCursor))))
        }
    }

    func getInhibitRule(_ input: Operations.GetInhibitRule.Input) async throws -> Operations.GetInhibitRule.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            .ok(.init(body: .json(.init(try await services.alerting.inhibitRules.get(try Self.uuid(input.path.id), in: caller.workspace.id)))))
        }
    }

    func updateInhibitRule(_ input: Operations.UpdateInhibitRule.Input) async throws -> Operations.UpdateInhibitRule.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let stored = try await services.alerting.inhibitRules.replace(try Self.uuid(input.path.id), with: try Self.inhibitRule(body),
                                                                          in: caller.workspace.id, actor: caller.actor, metadata: info.metadata)
            return .ok(.init(body: .json(.init(stored))))
        }
    }

    func deleteInhibitRule(_ input: Operations.DeleteInhibitRule.Input) async throws -> Operations.DeleteInhibitRule.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            try await services.alerting.inhibitRules.delete(try Self.uuid(input.path.id), in: caller.workspace.id, actor: caller.actor,
                                                            metadata: info.metadata)
            return .noContent(.init())
        }
    }
}
