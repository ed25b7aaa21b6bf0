import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func listAuditLog(_ input: Operations.ListAuditLog.Input) async throws -> Operations.ListAuditLog.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            let q = input.query
            let page = try await services.audit.list(in: caller.workspace.id, filter: try AuditLogFilter(q), limit: q.limit, cursor: q.cursor)
            return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.AuditEntry.init), nextCursor: page.nextCursor))))
        }
    }

    func listAuthFailures(_ input: Operations.ListAuthFailures.Input) async throws -> Operations.ListAuthFailures.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            let page = try await services.audit.listAuthFailures(in: caller.workspace.id, limit: input.query.limit, cursor: input.query.cursor)
            return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.AuthFailure.init), nextCursor: page.nextCursor))))
        }
    }

    func listAuditSeals(_ input: Operations.ListAuditSeals.Input) async throws -> Operations.ListAuditSeals.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            let page = try await services.audit.listSeals(in: caller.workspace.id, limit: input.query.limit, cursor: input.query.cursor)
            return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.AuditSeal.init), nextCursor: page.nextCursor))))
        }
    }

    func downloadAuditSegment(_ input: Operations.DownloadAuditSegment.Input) async throws -> Operations.DownloadAuditSegment.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            let (seal, document) = try await services.audit.segment(try Self.uuid(input.path.id), in: caller.workspace.id,
                                                                    actor: caller.actor, metadata: info.metadata)
            let name = "audit-segment-\(seal.manifest.seqFrom)-\(seal.manifest.seqTo).json"
            return .ok(.init(headers: .init(contentDisposition: "attachment; filename=\"\(name)\"", eTag: "\"\(seal.segmentSHA256)\""),
                             body: .binary(HTTPBody(document))))
        }
    }

    func verifyAuditLog(_ input: Operations.VerifyAuditLog.Input) async throws -> Operations.VerifyAuditLog.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            .ok(.init(body: .json(.init(try await services.audit.verify(in: caller.workspace.id)))))
        }
    }
}
