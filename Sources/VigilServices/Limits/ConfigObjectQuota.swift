import Foundation
import VigilCore
import VigilRepositories

/// The cap on stored configuration objects of one kind, checked inside the creating
/// transaction (after `WorkspaceLimitRepository` takes the workspace's lock for that kind, so
/// concurrent creates from any number of API processes cannot overshoot).
struct ConfigObjectQuota: Sendable {
    let kind: ConfigObjectKind
    let policy: WorkspaceLimitPolicy
    let counts = WorkspaceLimitRepository()

    init(_ kind: ConfigObjectKind, _ policy: WorkspaceLimitPolicy) {
        self.kind = kind
        self.policy = policy
    }

    /// Throws 409 `conflict` when the workspace already holds the maximum. Call before the
    /// insert; for an upsert that may only update, use `existing` and `refuseIfFull` instead.
    func reserve(workspaceID: UUID, on connection: Transaction) async throws {
        let existing = try await existing(workspaceID: workspaceID, on: connection)
        if let refusal = try await refuseIfFull(existing, workspaceID: workspaceID, on: connection) { throw refusal }
    }

    /// Locks and counts; the lock is held until the transaction ends.
    func existing(workspaceID: UUID, on connection: Transaction) async throws -> Int {
        try await counts.lockAndCount(kind, workspaceID: workspaceID, on: connection)
    }

    func refuseIfFull(_ existing: Int, workspaceID: UUID, on connection: Transaction) async throws -> ServiceError? {
        let limits = try await policy.limits(for: workspaceID, on: connection)
        if case .refused(let message) = limits.admitsConfigObject(kind, existing: existing) { return .conflict(message) }
        return nil
    }
}
