import Foundation
import VigilCore
import VigilRepositories

public struct AuditVerificationResult: Sendable, Equatable {
    public var intact: Bool
    public var checked: Int64
    public var firstBad: (seq: Int64, id: UUID, reason: AuditChain.Defect)?

    public static func == (a: Self, b: Self) -> Bool {
        a.intact == b.intact && a.checked == b.checked && a.firstBad?.seq == b.firstBad?.seq && a.firstBad?.reason == b.firstBad?.reason
    }
}

public struct AuditService: Sendable {
    let database: Database
    let repository = AuditLogRepository()
    static let verifyBatchSize = 1000

    public init(database: Database) {
        self.database = database
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

    /// Walks the whole chain oldest first, in bounded batches (one short transaction each,
    /// so a long chain never holds a snapshot for long), and reports the first defect.
    public func verify(in workspaceID: UUID) async throws -> AuditVerificationResult {
        var verifier = AuditChain.Verifier()
        var afterSeq: Int64 = 0
        while true {
            let batch = try await database.inWorkspace(workspaceID) {
                try await repository.chainBatch(workspaceID: workspaceID, afterSeq: afterSeq, limit: Self.verifyBatchSize, on: $0)
            }
            for entry in batch { verifier.feed(entry.record, detailsRedacted: entry.detailsRedacted) }
            guard let last = batch.last, batch.count == Self.verifyBatchSize else { break }
            afterSeq = last.record.seq
        }
        let bad = verifier.firstDefect.map { (seq: $0.record.seq, id: $0.record.id, reason: $0.defect) }
        return AuditVerificationResult(intact: verifier.intact, checked: verifier.checked, firstBad: bad)
    }
}
