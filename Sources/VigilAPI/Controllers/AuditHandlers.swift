import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func listAuditLog(_ input: Operations.ListAuditLog.Input) async throws -> Operations.ListAuditLog.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            let q = input.query
            let filter = AuditLogFilter(action: q.action, actorID: q.actorId, resourceType: q.resourceType, since: q.since, until: q.until)
            let page = try await services.audit.list(in: caller.workspace.id, filter: filter, limit: q.limit, cursor: q.cursor)
            return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.AuditEntry.init), nextCursor: page.nextCursor))))
        }
    }

    func verifyAuditLog(_ input: Operations.VerifyAuditLog.Input) async throws -> Operations.VerifyAuditLog.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            let result = try await services.audit.verify(in: caller.workspace.id)
            let firstBad = result.firstBad.map {
                Components.Schemas.AuditVerification.FirstBadPayload(
                    seq: $0.seq, id: $0.id.uuidString.lowercased(),
                    reason: .init(rawValue: $0.reason.rawValue) ?? .rowHashMismatch)
            }
            return .ok(.init(body: .json(.init(intact: result.intact, checked: result.checked, firstBad: firstBad))))
        }
    }
}

extension Components.Schemas.AuditEntry {
    init(_ r: AuditRecord) {
        self.init(
            id: r.id.uuidString.lowercased(), seq: r.seq, occurredAt: Date(microsecondsSince1970: r.occurredAtMicros),
            actorType: .init(rawValue: r.actorType) ?? .system, actorId: r.actorID, action: r.action, resourceType: r.resourceType,
            resourceId: r.resourceID, sourceIp: r.sourceIP, correlationId: r.correlationID,
            details: .init(additionalProperties: r.details), detailsDigest: r.detailsDigest, prevHash: r.prevHash, rowHash: r.rowHash)
    }
}
