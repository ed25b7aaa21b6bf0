import Foundation
import VigilCore
import VigilRepositories

public struct AuditVerificationResult: Sendable, Equatable {
    public var intact: Bool
    /// Live rows examined (sealed rows are vouched for by their seals).
    public var checked: Int64
    /// The first defect; for a seal, `seq` is the seal's first row and `id` the seal's id.
    public var firstBad: (seq: Int64, id: UUID, reason: AuditChain.Defect)?
    /// Seals checked before the live rows: how many, the rows they cover, and the head the live
    /// rows continue from (nil: nothing sealed yet, the chain starts at the genesis hash).
    public var sealedSegments: Int = 0
    public var sealedRows: Int64 = 0
    public var sealedHead: AuditChain.Position?

    public init(intact: Bool, checked: Int64, firstBad: (seq: Int64, id: UUID, reason: AuditChain.Defect)?) {
        self.intact = intact
        self.checked = checked
        self.firstBad = firstBad
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.intact == b.intact && a.checked == b.checked && a.firstBad?.seq == b.firstBad?.seq && a.firstBad?.reason == b.firstBad?.reason
            && a.sealedSegments == b.sealedSegments && a.sealedRows == b.sealedRows && a.sealedHead == b.sealedHead
    }
}

public struct AuditService: Sendable {
    let database: Database
    let repository = AuditLogRepository()
    let seals = AuditSealRepository()
    let trail: AuditTrail
    static let verifyBatchSize = 1000

    public init(database: Database, clock: WallClock = WallClock()) {
        self.database = database
        self.trail = AuditTrail(clock: clock)
    }

    /// Newest first by sequence number.
    public func list(in workspaceID: UUID, filter: AuditLogFilter, limit: Int?, cursor: String?) async throws -> Page<AuditRecord> {
        try await paged(limit: limit, cursor: cursor, position: { SequenceCursor(before: $0.seq) }) { page in
            // Checked after the paging parameters, so a request wrong in both reports those.
            if let since = filter.since, let until = filter.until, since >= until {
                throw ServiceError.invalid(field: "since", message: "since must be before until")
            }
            return try await database.inWorkspace(workspaceID) {
                try await repository.list(workspaceID: workspaceID, filter: filter, limit: page.limit, beforeSeq: page.cursor?.before, on: $0)
            }
        }
    }

    /// Walks the seals oldest first (each must continue the previous one and carry a valid
    /// signature), then the live rows from the newest seal's head, in bounded batches (one
    /// short transaction each, so a long chain never holds a snapshot for long), and reports
    /// the first defect.
    public func verify(in workspaceID: UUID) async throws -> AuditVerificationResult {
        var position = AuditChain.Position.genesis
        var sealDefect: (seq: Int64, id: UUID, reason: AuditChain.Defect)?
        var sealedSegments = 0, sealedRows: Int64 = 0
        while true {
            let batch = try await database.inWorkspace(workspaceID) {
                try await seals.ascending(afterSeqTo: position.seq, limit: Self.verifyBatchSize, on: $0)
            }
            for seal in batch {
                if sealDefect == nil, let defect = seal.defect(after: position) {
                    sealDefect = (seal.manifest.seqFrom, seal.id, defect)
                }
                position = seal.head
                sealedSegments += 1
                sealedRows += seal.manifest.rowCount
            }
            if batch.count < Self.verifyBatchSize { break }
        }
        var verifier = AuditChain.Verifier(after: position)
        var afterSeq = position.seq
        while true {
            let batch = try await database.inWorkspace(workspaceID) {
                try await repository.chainBatch(workspaceID: workspaceID, afterSeq: afterSeq, limit: Self.verifyBatchSize, on: $0)
            }
            for entry in batch { verifier.feed(entry.record, detailsRedacted: entry.detailsRedacted) }
            guard let last = batch.last, batch.count == Self.verifyBatchSize else { break }
            afterSeq = last.record.seq
        }
        let bad = sealDefect ?? verifier.firstDefect.map { (seq: $0.record.seq, id: $0.record.id, reason: $0.defect) }
        var result = AuditVerificationResult(intact: bad == nil, checked: verifier.checked, firstBad: bad)
        result.sealedSegments = sealedSegments
        result.sealedRows = sealedRows
        result.sealedHead = sealedSegments > 0 ? position : nil
        return result
    }

    /// The workspace's seals, newest first.
    public func listSeals(in workspaceID: UUID, limit: Int?, cursor: String?) async throws -> Page<AuditSeal> {
        try await paged(limit: limit, cursor: cursor, position: { SequenceCursor(before: $0.manifest.seqTo) }) { page in
            try await database.inWorkspace(workspaceID) {
                try await seals.list(limit: page.limit, beforeSeqTo: page.cursor?.before, on: $0)
            }
        }
    }

    /// A sealed segment's document, for download; the download is audited.
    public func segment(_ id: UUID, in workspaceID: UUID, actor: Actor, metadata: RequestMetadata) async throws -> (seal: AuditSeal, document: [UInt8]) {
        try await database.inWorkspace(workspaceID) { connection in
            guard let seal = try await seals.find(id: id, on: connection) else { throw ServiceError.notFound("no such audit segment") }
            guard let document = try await seals.segment(id: id, on: connection) else {
                let when = seal.segmentDiscardedAt.map { " on \($0.formatted(.iso8601))" } ?? ""
                throw ServiceError.notFound("the segment's body was discarded\(when) after its keep period; its manifest remains in the seals list")
            }
            try await trail.record(workspaceID: workspaceID, actor: actor, action: "audit_log.segment_downloaded", resourceType: "audit_seal",
                                   resourceID: id.uuidString.lowercased(),
                                   details: ["seq_from": String(seal.manifest.seqFrom), "seq_to": String(seal.manifest.seqTo)],
                                   request: metadata, on: connection)
            return (seal, document)
        }
    }
}
