import Foundation
import Logging
import VigilCore
import VigilRepositories

/// Where a failure is recorded: a known workspace id, or the workspace a path names (resolved
/// when the batch is written, so counting a failure never needs the database).
enum FailureTarget: Hashable, Sendable {
    case workspace(UUID)
    case reference(String)
}

/// Failed authentications counted in memory and written to `auth_failures` in batches, about
/// once per `flushInterval`: a flood of N failures from one address costs one upsert per
/// (workspace, minute, kind, address) per flush instead of N audit-chain appends, each under
/// the workspace's advisory lock. Counts not yet written are lost if the process dies (at most
/// one interval's worth); that is the price of not touching the database per attempt.
actor AuthFailureLog {
    struct Key: Hashable {
        var target: FailureTarget
        var minute: Date
        var kind: AuthFailureKind
        var sourceIP: String
    }

    struct Tally {
        var count: Int64
        var firstSeen: Date
        var lastSeen: Date
        var lastReason: String
        var lastKeyID: UUID?
        var lastCorrelationID: String?
    }

    /// Distinct pending keys kept; beyond it new addresses are counted under `overflowIP`, so
    /// a flood from many addresses cannot grow memory without bound.
    static let maxPending = 10_000
    static let overflowIP = "*"
    /// Consecutive failed writes after which pending counts are dropped (and logged).
    static let maxRetries = 3

    let database: Database
    let logger: Logger
    let flushInterval: TimeInterval
    private var pending: [Key: Tally] = [:]
    private var flushScheduled = false
    private var failedFlushes = 0
    /// The flush in progress (if any): flushes run one after another so that an explicit
    /// `flush()` returns only once everything noted before it is committed.
    private var lastFlush: Task<Void, Never>?

    init(database: Database, logger: Logger, flushInterval: TimeInterval) {
        self.database = database
        self.logger = logger
        self.flushInterval = flushInterval
    }

    func note(_ target: FailureTarget, kind: AuthFailureKind, reason: String, keyID: UUID?, request: RequestMetadata, at now: Date) {
        var key = Key(target: target, minute: AuthFailureRecord.minute(of: now), kind: kind, sourceIP: request.sourceIP ?? "")
        if pending[key] == nil, pending.count >= Self.maxPending { key.sourceIP = Self.overflowIP }
        merge(key, Tally(count: 1, firstSeen: now, lastSeen: now, lastReason: reason, lastKeyID: keyID,
                         lastCorrelationID: request.correlationID))
        guard !flushScheduled else { return }
        flushScheduled = true
        let delay = flushInterval
        Task {
            try? await Task.sleep(for: .seconds(delay))
            await self.flush()
        }
    }

    /// Writes everything counted so far; returns once it is committed (or failed and was put back).
    func flush() async {
        let previous = lastFlush
        let task = Task {
            await previous?.value
            await self.writePending()
        }
        lastFlush = task
        await task.value
    }

    private func merge(_ key: Key, _ tally: Tally) {
        guard var existing = pending[key] else {
            pending[key] = tally
            return
        }
        existing.count += tally.count
        existing.firstSeen = min(existing.firstSeen, tally.firstSeen)
        if tally.lastSeen >= existing.lastSeen {
            existing.lastSeen = tally.lastSeen
            existing.lastReason = tally.lastReason
            existing.lastKeyID = tally.lastKeyID ?? existing.lastKeyID
            existing.lastCorrelationID = tally.lastCorrelationID ?? existing.lastCorrelationID
        }
        pending[key] = existing
    }

    private func writePending() async {
        flushScheduled = false
        let batch = pending
        pending = [:]
        guard !batch.isEmpty else { return }
        do {
            try await Self.write(batch, to: database)
            failedFlushes = 0
        } catch {
            // Kept for the next flush rather than dropped: a short database outage must not
            // erase the record of an attack. Bounded like any other pending count, and given up
            // after a few attempts (a pool that was shut down never comes back).
            failedFlushes += 1
            guard failedFlushes <= Self.maxRetries else {
                logger.error("dropped failed-authentication counts after repeated errors",
                             metadata: ["error": "\(error)", "failures": "\(batch.values.reduce(0) { $0 + $1.count })"])
                failedFlushes = 0
                return
            }
            logger.warning("could not record failed authentications; will retry", metadata: ["error": "\(error)"])
            for (key, tally) in batch where pending[key] != nil || pending.count < Self.maxPending { merge(key, tally) }
            if !flushScheduled {
                flushScheduled = true
                let delay = flushInterval
                Task {
                    try? await Task.sleep(for: .seconds(delay))
                    await self.flush()
                }
            }
        }
    }

    /// Groups the batch by the workspace each failure belongs to: a path's workspace when it
    /// exists (one lookup per distinct reference per batch), else the platform (nil uuid).
    /// Runs outside the actor (the database closures are not sendable across its isolation).
    private nonisolated static func write(_ batch: [Key: Tally], to database: Database) async throws {
        let repository = AuthFailureRepository()
        for (workspaceID, rows) in try await resolve(batch, in: database) {
            try await database.inWorkspace(workspaceID) { connection in
                for row in rows { try await repository.add(row, on: connection) }
            }
        }
    }

    private nonisolated static func resolve(_ batch: [Key: Tally], in database: Database) async throws -> [UUID: [AuthFailureRecord]] {
        let workspaces = WorkspaceRepository()
        var resolved: [String: UUID] = [:]
        let references = Set(batch.keys.compactMap { key -> String? in
            if case .reference(let reference) = key.target { return reference }
            return nil
        })
        for reference in references {
            resolved[reference] = couldName(reference)
                ? try await database.platform { try await workspaces.find(reference: reference, on: $0)?.id }
                : nil
        }
        var rows: [UUID: [AuthFailureRecord]] = [:]
        for (key, tally) in batch {
            let workspaceID: UUID
            switch key.target {
            case .workspace(let id): workspaceID = id
            case .reference(let reference): workspaceID = resolved[reference] ?? AuditTrail.platformWorkspaceID
            }
            rows[workspaceID, default: []].append(AuthFailureRecord(
                id: UUID(), workspaceID: workspaceID, minute: key.minute, kind: key.kind, sourceIP: key.sourceIP,
                count: tally.count, firstSeen: tally.firstSeen, lastSeen: tally.lastSeen, lastReason: tally.lastReason,
                lastKeyID: tally.lastKeyID, lastCorrelationID: tally.lastCorrelationID))
        }
        return rows
    }

    /// Whether `reference` could be a workspace id or slug at all; anything else is recorded
    /// on the platform without a lookup (a path is attacker-chosen text).
    static func couldName(_ reference: String) -> Bool {
        if UUID(uuidString: reference) != nil { return true }
        return (1...63).contains(reference.utf8.count)
            && reference.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }
}
