import Foundation
import Logging
import VigilCore
import VigilRepositories

/// What sealing did to one workspace's audit log in a retention run.
public struct AuditSealingOutcome: Sendable, Equatable {
    public var segments = 0
    public var rowsPruned = 0
    public var bodiesDiscarded = 0
    /// Set when the rows due for sealing do not verify: nothing from there on is sealed or
    /// pruned (a tampered row is never signed), and the run says where.
    public var brokenAt: (seq: Int64, reason: AuditChain.Defect)?

    public init() {}

    public static func == (a: Self, b: Self) -> Bool {
        a.segments == b.segments && a.rowsPruned == b.rowsPruned && a.bodiesDiscarded == b.bodiesDiscarded
            && a.brokenAt?.seq == b.brokenAt?.seq && a.brokenAt?.reason == b.brokenAt?.reason
    }
}

/// Retention for the audit log (issue 14): rows older than the workspace's
/// `retention_days.audit_log` are exported as signed segments (`AuditSegment`) and deleted in
/// the same transaction, so no row leaves unsealed and no seal is stored for rows still there.
/// Each transaction seals at most `rowsPerSegment` rows and about 8 MiB under the chain lock
/// (appends wait for it, briefly). Old segment bodies are discarded later; their manifests stay.
public struct AuditSealing: Sendable {
    let database: Database
    let key: AuditSigningKey
    let rowsPerSegment: Int
    /// How long a segment's body stays downloadable after sealing.
    let segmentKeepDays: Int
    let logger: Logger
    let auditLog = AuditLogRepository()
    let seals = AuditSealRepository()
    /// A segment's estimated size at most (one row larger than this still goes alone).
    static let maxSegmentBytes = 8 * 1024 * 1024

    public init(database: Database, key: AuditSigningKey, rowsPerSegment: Int = 5_000, segmentKeepDays: Int, logger: Logger) {
        self.database = database
        self.key = key
        self.rowsPerSegment = rowsPerSegment
        self.segmentKeepDays = segmentKeepDays
        self.logger = logger
    }

    public func run(_ workspace: Workspace, now: Date) async throws -> AuditSealingOutcome {
        let cutoff = now.addingTimeInterval(-Double(workspace.settings.retentionDays.auditLog) * 86_400)
        var outcome = AuditSealingOutcome()
        sealing: while true {
            switch try await sealNextSegment(of: workspace.id, before: cutoff, now: now) {
            case .sealed(let rows):
                outcome.segments += 1
                outcome.rowsPruned += rows  // then the next segment, until nothing is due
            case .nothingDue:
                break sealing
            case .broken(let seq, let reason):
                outcome.brokenAt = (seq, reason)
                logger.error("audit chain broken: rows past retention are neither sealed nor pruned",
                             metadata: ["workspace_id": "\(workspace.id)", "seq": "\(seq)", "reason": "\(reason.rawValue)"])
                break sealing
            }
        }
        let discardBefore = now.addingTimeInterval(-Double(segmentKeepDays) * 86_400)
        outcome.bodiesDiscarded = try await database.inWorkspace(workspace.id) {
            try await seals.discardSegments(sealedBefore: discardBefore, now: now, on: $0)
        }
        return outcome
    }

    enum Step {
        case sealed(rows: Int)
        case nothingDue
        case broken(seq: Int64, reason: AuditChain.Defect)
    }

    /// One transaction: the oldest unsealed rows older than `cutoff` (a prefix of the chain,
    /// so sealing never skips a row), sealed, stored and pruned.
    private func sealNextSegment(of workspaceID: UUID, before cutoff: Date, now: Date) async throws -> Step {
        try await database.inWorkspace(workspaceID) { connection in
            try await auditLog.lockChain(of: workspaceID, on: connection)
            let start = try await seals.newest(on: connection)?.head ?? .genesis
            let batch = try await auditLog.chainBatch(workspaceID: workspaceID, afterSeq: start.seq, limit: rowsPerSegment, on: connection)
            let due = AuditSegment.duePrefix(batch.map(\.record), before: cutoff.microsecondsSince1970, maxRows: rowsPerSegment,
                                             maxBytes: Self.maxSegmentBytes)
            guard !due.isEmpty else { return .nothingDue }
            let redacted = Set(batch.prefix(due.count).filter(\.detailsRedacted).map(\.record.seq))
            let segment: AuditSegment
            do {
                segment = try AuditSegment.seal(Array(due), after: start, sealedAtMicros: now.microsecondsSince1970,
                                                key: key, redacted: { redacted.contains($0) })
            } catch AuditSegment.SealError.brokenChain(let seq, let reason) {
                return .broken(seq: seq, reason: reason)
            }
            try await seals.insert(segment, id: UUID(), document: try segment.encoded(), on: connection)
            return .sealed(rows: try await seals.pruneSealedRows(upTo: segment.manifest.seqTo, on: connection))
        }
    }
}
