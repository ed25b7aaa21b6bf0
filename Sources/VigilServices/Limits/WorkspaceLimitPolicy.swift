import Foundation
import Synchronization
import VigilCore
import VigilRepositories

/// Each workspace's effective limits: the operator's defaults (`VIGIL_LIMIT_*`) with the
/// workspace's stored overrides applied. Reads are cached per process for `cacheSeconds`, so
/// the hot paths (every request, every ingest) do not read the overrides each time; a change
/// takes effect at once on the process that made it and within `cacheSeconds` on the others.
public final class WorkspaceLimitPolicy: Sendable {
    public let defaults: WorkspaceLimits
    let database: Database
    let clock: WallClock
    let audit: AuditTrail
    let usage = WorkspaceUsageRepository()
    private let cache: Mutex<ExpiringCache<UUID, WorkspaceLimitOverrides>>
    static let cacheSeconds: TimeInterval = 10

    public init(defaults: WorkspaceLimits, database: Database, clock: WallClock) {
        self.defaults = defaults
        self.database = database
        self.clock = clock
        self.audit = AuditTrail(clock: clock)
        self.cache = Mutex(ExpiringCache(capacity: 10_000, ttl: Self.cacheSeconds))
    }

    /// The workspace's limits, reading its overrides in their own short transaction on a miss.
    public func limits(for workspaceID: UUID) async throws -> WorkspaceLimits {
        if let cached = cached(workspaceID) { return defaults.overridden(by: cached) }
        return try await database.inWorkspace(workspaceID) { try await limits(for: workspaceID, on: $0) }
    }

    /// The same inside a transaction the caller already holds (no second connection).
    func limits(for workspaceID: UUID, on connection: Transaction) async throws -> WorkspaceLimits {
        if let cached = cached(workspaceID) { return defaults.overridden(by: cached) }
        let overrides = try await storedOverrides(workspaceID, on: connection)
        remember(overrides, for: workspaceID)
        return defaults.overridden(by: overrides)
    }

    /// Replaces the workspace's overrides (the operator's call), audited in its chain. An empty
    /// set returns the workspace to the defaults.
    public func setOverrides(_ raw: [String: Int], for workspaceID: UUID, actor: Actor,
                             request: RequestMetadata) async throws -> WorkspaceLimitOverrides {
        let overrides: WorkspaceLimitOverrides
        do { overrides = try WorkspaceLimitOverrides(validating: raw) } catch { throw ServiceError(error) }
        try await database.inWorkspace(workspaceID) { connection in
            try await usage.saveOverrides(overrides.byName, workspaceID: workspaceID, at: clock.currentMicrosecondTime(), on: connection)
            try await audit.record(workspaceID: workspaceID, actor: actor, action: "workspace.limits.update", resourceType: "workspace",
                                   resourceID: workspaceID.uuidString.lowercased(),
                                   details: overrides.byName.mapValues(String.init), request: request, on: connection)
        }
        remember(overrides, for: workspaceID)
        return overrides
    }

    /// Effective limits, overrides and this minute's usage, for the workspace's own keys.
    public func report(for workspaceID: UUID) async throws -> WorkspaceLimitReport {
        let window = UsageLease.window(of: clock.now())
        return try await database.inWorkspace(workspaceID) { connection in
            let overrides = try await storedOverrides(workspaceID, on: connection)
            let granted = try await usage.granted(in: window, workspaceID: workspaceID, on: connection)
            let used = Dictionary(uniqueKeysWithValues: UsageMeter.all.map { ($0, granted[$0.name] ?? 0) })
            return WorkspaceLimitReport(effective: defaults.overridden(by: overrides), overrides: overrides,
                                        windowStart: window, granted: used)
        }
    }

    private func storedOverrides(_ workspaceID: UUID, on connection: Transaction) async throws -> WorkspaceLimitOverrides {
        // Stored values were validated when written; a row that no longer validates (a limit
        // renamed by an upgrade) must not lock the workspace out, so it counts as no override.
        (try? WorkspaceLimitOverrides(validating: try await usage.overrides(workspaceID: workspaceID, on: connection)))
            ?? WorkspaceLimitOverrides()
    }

    private func cached(_ workspaceID: UUID) -> WorkspaceLimitOverrides? {
        let now = clock.now()
        return cache.withLock { $0.value(for: workspaceID, now: now) }
    }

    private func remember(_ overrides: WorkspaceLimitOverrides, for workspaceID: UUID) {
        let now = clock.now()
        cache.withLock { $0.store(overrides, for: workspaceID, now: now) }
    }
}

/// What `GET …/limits` shows.
public struct WorkspaceLimitReport: Sendable, Equatable {
    public var effective: WorkspaceLimits
    public var overrides: WorkspaceLimitOverrides
    /// The current UTC minute.
    public var windowStart: Date
    /// Allowance handed out to API processes in this minute, per meter (an upper bound of what
    /// was spent: a process may hold an unspent slice).
    public var granted: [UsageMeter: Int]
}
