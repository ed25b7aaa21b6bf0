import Foundation
import Logging
import Synchronization
import PostgresClient
import VigilCore

/// The optional read replica (`DATABASE_READ_URL`): its own pool, and the per-process cache of
/// its replay lag that decides whether a heavy read may use it (`ReadReplicaPolicy`). Built by
/// the composition root and given to `Database`, which routes `readInWorkspace` through it.
public final class ReadReplica: Sendable {
    let pool: PostgresPool
    public let policy: ReadReplicaPolicy
    let logger: Logger
    let operations = OperationsRepository()

    private struct State {
        var last: ReplicaCheck?
        var checking = false
        var statistics = ReadRoutingStatistics()
    }
    private let state = Mutex(State())

    public init(pool: PostgresPool, policy: ReadReplicaPolicy, logger: Logger) {
        self.pool = pool
        self.policy = policy
        self.logger = logger
    }

    /// Where the next heavy read goes: the cached state's route, or (when the cache is stale and
    /// no other read is checking) the route of a fresh check.
    func route() async -> ReadRoute {
        let now = Date()
        let decision = state.withLock { state -> ReadDecision in
            let decision = policy.decide(last: state.last, now: now, checking: state.checking)
            if decision == .check { state.checking = true }
            return decision
        }
        switch decision {
        case .route(let route): return route
        case .check: return policy.route(await check(claimed: true))
        }
    }

    /// Asks the replica for its replay position now and remembers the answer (also for
    /// `/readyz`). `claimed`: the caller set `checking` and this clears it.
    @discardableResult
    public func check(claimed: Bool = false) async -> ReplicaState {
        let observation: ReplicaObservation?
        do {
            observation = try await pool.withConnection { try await operations.replicaObservation(on: Transaction($0)) }
        } catch {
            logger.debug("read replica check failed", metadata: ["error": "\(error)"])
            observation = nil
        }
        let found = policy.state(of: observation)
        let previous = state.withLock { state -> ReplicaState? in
            let previous = state.last?.state
            state.last = ReplicaCheck(state: found, at: Date())
            state.statistics.state = found
            if claimed { state.checking = false }
            return previous
        }
        if previous?.readinessWord != found.readinessWord { logTransition(to: found) }
        return found
    }

    /// The replica's state for `/readyz` and `/health`, without making a probe wait on it: the
    /// cached check while it is fresh; when it is stale, the cached one while a new check runs in
    /// the background (a replica that does not answer must not slow readiness probes down).
    /// Only the very first report waits for a check.
    public func reportedState() async -> ReplicaState {
        let now = Date()
        let (last, refresh) = state.withLock { state -> (ReplicaCheck?, Bool) in
            guard policy.decide(last: state.last, now: now, checking: state.checking) == .check else { return (state.last, false) }
            state.checking = true
            return (state.last, true)
        }
        switch (last, refresh) {
        case (let last?, true):
            Task { await self.check(claimed: true) }
            return last.state
        case (nil, true):
            return await check(claimed: true)
        case (let last?, false):
            return last.state
        case (nil, false):
            return await check()  // the first check is already running: one more, to have an answer
        }
    }

    /// A heavy read went to the replica.
    func countReplicaRead() {
        state.withLock { $0.statistics.replicaReads += 1 }
    }

    /// A heavy read went to the primary instead, for `reason`.
    func countFallback(_ reason: ReadFallbackReason) {
        state.withLock { $0.statistics.fallbacks[reason, default: 0] += 1 }
    }

    /// A read failed on the replica and is repeated on the primary; a failure that means the
    /// replica is down marks it unreachable, so the next reads go to the primary at once.
    func readFailed(_ error: StorageError) {
        logger.warning("a read on the replica failed: repeated on the primary", metadata: ["error": "\(error)"])
        countFallback(.failed)
        guard ReadReplicaPolicy.meansUnreachable(error) else { return }
        let previous = state.withLock { state -> ReplicaState? in
            let previous = state.last?.state
            state.last = ReplicaCheck(state: .unreachable, at: Date())
            state.statistics.state = .unreachable
            return previous
        }
        if previous != .unreachable { logTransition(to: .unreachable) }
    }

    public var statistics: ReadRoutingStatistics { state.withLock { $0.statistics } }

    /// The pool, for the process's ServiceGroup and shutdown.
    public var connectionPool: PostgresPool { pool }

    private func logTransition(to state: ReplicaState) {
        let lag: Logger.MetadataValue = state.lagSeconds.map { "\((($0 * 10).rounded() / 10))" } ?? "unknown"
        switch state {
        case .ok:
            logger.notice("read replica in use for heavy reads", metadata: ["lag_seconds": lag])
        case .lagging:
            logger.warning("read replica lagging: heavy reads go to the primary",
                           metadata: ["lag_seconds": lag, "max_lag_seconds": "\(policy.maxLagSeconds)"])
        case .unreachable:
            logger.warning("read replica unreachable: heavy reads go to the primary")
        }
    }
}
