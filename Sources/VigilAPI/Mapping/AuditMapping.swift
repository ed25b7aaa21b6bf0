import Foundation
import VigilCore
import VigilServices

/// Audit log queries to filters, and entries and chain verifications to response bodies.

extension AuditLogFilter {
    init(_ q: Operations.ListAuditLog.Input.Query) throws {
        self.init(action: try APIController.bounded(q.action, field: "action", maxLength: 100),
                  actorID: try APIController.bounded(q.actorId, field: "actor_id", maxLength: 100),
                  resourceType: try APIController.bounded(q.resourceType, field: "resource_type", maxLength: 100), since: q.since, until: q.until)
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

extension Components.Schemas.AuditVerification {
    init(_ result: AuditVerificationResult) {
        let firstBad = result.firstBad.map {
            FirstBadPayload(seq: $0.seq, id: $0.id.uuidString.lowercased(), reason: .init(rawValue: $0.reason.rawValue) ?? .rowHashMismatch)
        }
        let sealed = result.sealedHead.map {
            Components.Schemas.AuditSealedChain(segments: Int64(result.sealedSegments), rows: result.sealedRows, headSeq: $0.seq, headHash: $0.hash)
        }
        self.init(intact: result.intact, checked: result.checked, firstBad: firstBad, sealed: sealed)
    }
}

extension Components.Schemas.AuditSeal {
    init(_ s: AuditSeal) {
        let m = s.manifest
        self.init(
            id: s.id.uuidString.lowercased(), seqFrom: m.seqFrom, seqTo: m.seqTo, rowCount: m.rowCount, prevHash: m.prevHash,
            headHash: m.headHash, firstOccurredAt: Date(microsecondsSince1970: m.firstOccurredAtMicros),
            lastOccurredAt: Date(microsecondsSince1970: m.lastOccurredAtMicros), sealedAt: Date(microsecondsSince1970: m.sealedAtMicros),
            keyId: m.keyID, publicKey: m.publicKey, signature: s.signature, segmentSha256: s.segmentSHA256, segmentBytes: s.segmentBytes,
            segmentAvailable: s.segmentDiscardedAt == nil, segmentDiscardedAt: s.segmentDiscardedAt)
    }
}

extension Components.Schemas.AuthFailure {
    init(_ r: AuthFailureRecord) {
        self.init(
            id: r.id.uuidString.lowercased(), minute: r.minute, kind: .init(rawValue: r.kind.rawValue) ?? .authFailed,
            sourceIp: r.sourceIP, count: r.count, firstSeen: r.firstSeen, lastSeen: r.lastSeen, lastReason: r.lastReason,
            lastKeyId: r.lastKeyID?.uuidString.lowercased(), lastCorrelationId: r.lastCorrelationID)
    }
}
