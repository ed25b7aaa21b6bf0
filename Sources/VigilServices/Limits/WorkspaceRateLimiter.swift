import Foundation
import Synchronization
import VigilCore
import VigilRepositories

/// The per-minute rate limits of a workspace (requests per key class, ingest points, KPI
/// events), enforced across every API process through `workspace_usage`: each process spends
/// a slice leased from the minute's allowance (`UsageLease`) and asks PostgreSQL for another
/// only when it runs out, so the steady state costs one short upsert per slice, not one per
/// request, and all processes together never admit more than the limit.
public final class WorkspaceRateLimiter: Sendable {
    struct LeaseKey: Hashable {
        var workspace: UUID
        var meter: UsageMeter
    }

    let database: Database
    let clock: WallClock
    let policy: WorkspaceLimitPolicy
    let usage = WorkspaceUsageRepository()
    private let leases = Mutex<[LeaseKey: UsageLease]>([:])
    /// Past this many workspace × meter leases, those of past minutes are dropped.
    static let maxLeases = 50_000

    public init(database: Database, clock: WallClock, policy: WorkspaceLimitPolicy) {
        self.database = database
        self.clock = clock
        self.policy = policy
    }

    /// Spends `cost` of the workspace's `meter` this minute, or throws 429 `rate_limited` with
    /// `Retry-After` (the seconds to the next minute).
    public func spend(_ cost: Int, on meter: UsageMeter, workspaceID: UUID) async throws {
        let limit = try await policy.limits(for: workspaceID)[meter.limitName]
        let key = LeaseKey(workspace: workspaceID, meter: meter)
        let now = clock.now()
        var step = leases.withLock { leases in
            var lease = leases[key] ?? UsageLease(windowStart: UsageLease.window(of: now))
            let step = lease.spend(cost, limit: limit, now: now)
            leases[key] = lease
            return step
        }
        if case .ask(let want, let slice) = step {
            let window = UsageLease.window(of: now)
            let granted: Int
            do {
                granted = try await database.inWorkspace(workspaceID) { connection in
                    try await usage.grant(want, of: limit, meter: meter.name, window: window, workspaceID: workspaceID, on: connection)
                }
            } catch {
                leases.withLock { leases in leases[key]?.askFailed(slice: slice) }
                throw error
            }
            step = leases.withLock { leases in
                if leases.count > Self.maxLeases { leases = leases.filter { $0.value.windowStart >= window } }
                var lease = leases[key] ?? UsageLease(windowStart: window)
                let step = lease.granted(granted, window: window, cost: cost, slice: slice, now: now)
                leases[key] = lease
                return step
            }
        }
        if case .refused(let seconds) = step {
            throw ServiceError.rateLimited(Self.refusal(meter, limit: limit), retryAfterSeconds: seconds)
        }
    }

    static func refusal(_ meter: UsageMeter, limit: Int) -> String {
        switch meter {
        case .requests(let role): return "workspace limit reached: at most \(limit) requests per minute with \(role.rawValue) keys"
        case .ingestPoints: return "ingest quota of \(limit) points per minute exceeded"
        case .kpiEvents: return "workspace limit reached: at most \(limit) KPI events per minute"
        }
    }
}
