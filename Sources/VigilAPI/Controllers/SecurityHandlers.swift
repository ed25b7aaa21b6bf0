import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func recordSecurityEvents(_ input: Operations.RecordSecurityEvents.Input) async throws -> Operations.RecordSecurityEvents.Output {
        try await withCaller(input.path.workspace, role: .ingest) { caller, _ in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let now = services.clock.now()
            let result = try await services.securityEvents.ingest(body.events.map { SecurityEvent($0, now: now) }, in: caller.workspace)
            return .accepted(.init(body: .json(.init(accepted: result.accepted, blocked: result.blocked))))
        }
    }

    func listSecurityEvents(_ input: Operations.ListSecurityEvents.Input) async throws -> Operations.ListSecurityEvents.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let q = input.query
            let filter = SecurityEventFilter(kind: q.kind.flatMap { SecurityEventKind(rawValue: $0.rawValue) }, subKind: q.subKind,
                                             sourceIP: q.sourceIp, since: q.since, until: q.until)
            let page = try await services.securityEvents.list(in: caller.workspace, filter: filter, limit: q.limit, cursor: q.cursor)
            return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.SecurityEvent.init), nextCursor: page.nextCursor))))
        }
    }

    func getSecurityDashboard(_ input: Operations.GetSecurityDashboard.Input) async throws -> Operations.GetSecurityDashboard.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            .ok(.init(body: .json(.init(try await services.securityDashboard.dashboard(in: caller.workspace, windowHours: input.query.window)))))
        }
    }

    func getSqlInjectionSummary(_ input: Operations.GetSqlInjectionSummary.Input) async throws -> Operations.GetSqlInjectionSummary.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let view = try await services.securityDashboard.kindView([.sqlInjection], in: caller.workspace, windowHours: input.query.window)
            return .ok(.init(body: .json(.init(view, main: .sqlInjection))))
        }
    }

    func getGraphqlSecuritySummary(_ input: Operations.GetGraphqlSecuritySummary.Input) async throws -> Operations.GetGraphqlSecuritySummary.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let view = try await services.securityDashboard.kindView([.graphqlRejection, .csrfViolation, .originViolation, .rateLimit],
                                                                     in: caller.workspace, windowHours: input.query.window)
            return .ok(.init(body: .json(.init(view, main: .graphqlRejection))))
        }
    }

    func getSecurityThreats(_ input: Operations.GetSecurityThreats.Input) async throws -> Operations.GetSecurityThreats.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            .ok(.init(body: .json(.init(try await services.securityDashboard.threats(in: caller.workspace, windowHours: input.query.window)))))
        }
    }

    func getSecurityAddress(_ input: Operations.GetSecurityAddress.Input) async throws -> Operations.GetSecurityAddress.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            .ok(.init(body: .json(.init(try await services.securityBlocks.view(input.path.address, in: caller.workspace)))))
        }
    }

    func blockSecurityAddress(_ input: Operations.BlockSecurityAddress.Input) async throws -> Operations.BlockSecurityAddress.Output {
        try await withCaller(input.path.workspace, role: .member) { caller, _ in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let view = try await services.securityBlocks.block(input.path.address, reason: body.reason, minutes: body.minutes,
                                                               actor: caller.timelineActor, in: caller.workspace)
            return .ok(.init(body: .json(.init(view))))
        }
    }

    func unblockSecurityAddress(_ input: Operations.UnblockSecurityAddress.Input) async throws -> Operations.UnblockSecurityAddress.Output {
        try await withCaller(input.path.workspace, role: .member) { caller, _ in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let view = try await services.securityBlocks.unblock(input.path.address, reason: body.reason, exemptMinutes: body.exemptMinutes,
                                                                 actor: caller.timelineActor, in: caller.workspace)
            return .ok(.init(body: .json(.init(view))))
        }
    }

    func getBlocklist(_ input: Operations.GetBlocklist.Input) async throws -> Operations.GetBlocklist.Output {
        try await withCaller(input.path.workspace, role: .edge) { caller, _ in
            if let tag = try await unchangedTag(input.headers.ifNoneMatch, .json, caller.workspace) {
                return .notModified(.init(headers: .init(eTag: tag)))
            }
            let list = try await services.securityBlocks.blocklist(in: caller.workspace)
            return .ok(.init(headers: .init(eTag: list.jsonTag), body: .json(.init(list))))
        }
    }

    func getBlocklistText(_ input: Operations.GetBlocklistText.Input) async throws -> Operations.GetBlocklistText.Output {
        try await withCaller(input.path.workspace, role: .edge) { caller, _ in
            if let tag = try await unchangedTag(input.headers.ifNoneMatch, .text, caller.workspace) {
                return .notModified(.init(headers: .init(eTag: tag)))
            }
            let list = try await services.securityBlocks.blocklist(in: caller.workspace)
            return .ok(.init(headers: .init(eTag: list.textTag), body: .plainText(HTTPBody(list.text))))
        }
    }

    /// The current tag when the client's `If-None-Match` names it (a 304), else nil. Costs one
    /// digest row, not the list.
    private func unchangedTag(_ header: String?, _ form: Blocklist.Form, _ workspace: Workspace) async throws -> String? {
        guard header != nil else { return nil }
        let tag = try await services.securityBlocks.blocklistTag(form, in: workspace)
        return Self.matches(header, tag) ? tag : nil
    }

    /// `If-None-Match` as RFC 9110 reads it: `*`, or a list of tags (weak ones compare weakly).
    /// (Its length is bounded by `HeaderPolicy` before the request gets here.)
    static func matches(_ header: String?, _ etag: String) -> Bool {
        guard let header else { return false }
        return header.split(separator: ",").contains { part in
            let tag = part.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == etag || tag == "W/" + etag
        }
    }
}
