import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// A bounded pool of `PostgresConnection`s, opened lazily up to `maxConnections`.
///
/// Usable right after `init`; `run()` only exists so a ServiceGroup can close the pool on
/// graceful shutdown. Waiters are served first-come first-served.
public final class PostgresPool: Service, Sendable {
    struct Lease: Sendable {
        let connection: PostgresConnection
        let openedAt: ContinuousClock.Instant
    }

    /// What a caller gets from the pool: a ready connection, or a reserved slot ("permit") in
    /// which it opens a new connection itself, so slow connects never block the pool's lock.
    enum Grant: Sendable {
        case connection(Lease)
        case permit
    }

    struct Waiter: Sendable {
        let id: Int
        let continuation: CheckedContinuation<Grant, Error>
        var timeout: Task<Void, Never>?
    }

    struct State: Sendable {
        var idle: [Lease] = []
        var inUse = 0
        var opening = 0
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var closed = false

        var total: Int { idle.count + inUse + opening }
    }

    private let configuration: PostgresPoolConfiguration
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    public init(configuration: PostgresPoolConfiguration, logger: Logger) {
        precondition(configuration.maxConnections > 0, "maxConnections must be positive")
        self.configuration = configuration
        self.logger = logger
    }

    // MARK: - Service

    /// Waits for graceful shutdown (or task cancellation), then shuts the pool down.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Closes idle connections and fails current waiters and all future acquires with
    /// `.poolClosed`. Connections in use are closed when they are released.
    public func shutdown() async {
        let (idle, waiters) = state.withLockedValue { state in
            state.closed = true
            defer {
                state.idle = []
                state.waiters = []
            }
            return (state.idle, state.waiters)
        }
        for waiter in waiters {
            waiter.timeout?.cancel()
            waiter.continuation.resume(throwing: Self.closedError)
        }
        await Self.close(idle.map(\.connection))
    }

    public var statistics: PostgresPoolStatistics {
        state.withLockedValue { state in
            PostgresPoolStatistics(
                inUse: state.inUse, idle: state.idle.count, waiting: state.waiters.count, total: state.total
            )
        }
    }

    // MARK: - Public API

    /// Lends a connection to `body` and takes it back afterwards. A broken connection, one
    /// still inside a transaction, or one past `maxConnectionLifetime` is closed instead of
    /// being reused. Runs `body` on the caller's isolation.
    public nonisolated(nonsending) func withConnection<T: Sendable>(
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let lease = try await acquire()
        let value: T
        do {
            value = try await body(lease.connection)
        } catch {
            await release(lease)
            throw error
        }
        await release(lease)
        return value
    }

    /// Runs `body` inside BEGIN/COMMIT; any thrown error rolls back and is rethrown.
    ///
    /// If a statement failed inside `body` but the error was swallowed, COMMIT would silently
    /// roll back; this throws SQLSTATE 25P02 instead.
    ///
    /// `begin` is the transaction's opening: BEGIN first, then statements every transaction
    /// of the caller's starts with (`SET LOCAL ROLE …`, `SELECT set_config(…)`). It is not sent
    /// on its own: it travels with the transaction's first statement, in one pipeline (or one
    /// simple query), so the opening costs no round trip of its own; and with COMMIT when
    /// `body` ran no statement, so the opening always runs (it may check something, such as a
    /// key). Each element is one statement holding no untrusted text: nothing in it is escaped.
    public nonisolated(nonsending) func withTransaction<T: Sendable>(
        begin: [String] = ["BEGIN"],
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        precondition(begin.first?.uppercased().hasPrefix("BEGIN") == true, "a transaction's opening starts with BEGIN")
        return try await withConnection { connection in
            connection.deferBegin(begin)
            defer { connection.endTransactionScope() }
            let value: T
            do {
                value = try await body(connection)
            } catch {
                // Nothing to roll back when nothing was sent, or when the committing statement
                // already ended the transaction. If ROLLBACK fails, the connection is left in a
                // transaction and the pool discards it on release.
                if !connection.beginIsDeferred, !connection.isBroken, connection.transactionState != .idle {
                    try? await connection.simpleQuery("ROLLBACK")
                }
                // The opening's failure (e.g. a refused key) is the transaction's, even when
                // `body` caught it from its first statement and failed on something else.
                throw connection.openingFailure ?? error
            }
            if connection.wasCommittedByStatement { return value }
            if connection.transactionState == .inError {
                try? await connection.simpleQuery("ROLLBACK")
                if let openingFailure = connection.openingFailure { throw openingFailure }
                throw PostgresError(
                    kind: .server, sqlState: "25P02",
                    message: "transaction was aborted by an error inside withTransaction and has been rolled back"
                )
            }
            try await connection.simpleQuery("COMMIT")
            return value
        }
    }

    @discardableResult
    public func query(_ q: PostgresQuery) async throws -> PostgresRows {
        try await withConnection { connection in
            try await connection.query(q)
        }
    }

    // MARK: - Acquire / release

    func acquire() async throws -> Lease {
        var grant = try await nextGrant()
        while true {
            switch grant {
            case .connection(let lease):
                if !isExpired(lease), await lease.connection.isHealthyAfterIdle() {
                    return lease
                }
                // Stale (killed backend, server restart, too old): keep the slot, open anew.
                logger.debug("replacing stale pooled connection", metadata: ["pg.backend_pid": "\(lease.connection.backendPID)"])
                state.withLockedValue { state in
                    state.inUse -= 1
                    state.opening += 1
                }
                await lease.connection.close()
                grant = .permit
            case .permit:
                return try await openConnection()
            }
        }
    }

    private func openConnection() async throws -> Lease {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                conninfo: configuration.conninfo,
                connectTimeout: configuration.connectTimeout,
                statementTimeout: configuration.statementTimeout,
                idleInTransactionTimeout: configuration.idleInTransactionTimeout,
                sessionSetup: configuration.sessionSetup,
                logger: logger
            )
        } catch {
            slotFreed(openingSlot: true)
            throw error
        }
        let stillOpen = state.withLockedValue { state in
            state.opening -= 1
            if state.closed { return false }
            state.inUse += 1
            return true
        }
        guard stillOpen else {
            await connection.close()
            throw Self.closedError
        }
        return Lease(connection: connection, openedAt: .now)
    }

    private func nextGrant() async throws -> Grant {
        if let grant = try state.withLockedValue({ try Self.immediateGrant(&$0, max: configuration.maxConnections) }) {
            return grant
        }
        let id = state.withLockedValue { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Grant, Error>) in
                // Re-check under the same lock that registers the waiter, so a release between
                // the first check and here cannot be missed.
                let immediate: Result<Grant, Error>? = state.withLockedValue { state in
                    do {
                        if let grant = try Self.immediateGrant(&state, max: configuration.maxConnections) {
                            return .success(grant)
                        }
                    } catch {
                        return .failure(error)
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation, timeout: nil))
                    return nil
                }
                if let immediate {
                    continuation.resume(with: immediate)
                    return
                }
                scheduleTimeout(forWaiter: id)
                if Task.isCancelled { failWaiter(id, CancellationError()) }
            }
        } onCancel: {
            failWaiter(id, CancellationError())
        }
    }

    private static func immediateGrant(_ state: inout State, max: Int) throws -> Grant? {
        if state.closed { throw closedError }
        if let lease = state.idle.popLast() {  // most recently used: warmest caches
            state.inUse += 1
            return .connection(lease)
        }
        if state.total < max {
            state.opening += 1
            return .permit
        }
        return nil
    }

    private func scheduleTimeout(forWaiter id: Int) {
        let timeout = configuration.acquireTimeout
        let task = Task { [self] in
            do {
                try await Task.sleep(for: timeout)
            } catch {
                return  // cancelled: the waiter was served
            }
            logger.debug("timed out waiting for a pooled connection")
            failWaiter(id, PostgresError(
                kind: .acquireTimeout,
                message: "no connection available within \(timeout) (maxConnections \(configuration.maxConnections))"
            ))
        }
        let registered = state.withLockedValue { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return false }
            state.waiters[index].timeout = task
            return true
        }
        if !registered { task.cancel() }
    }

    private func failWaiter(_ id: Int, _ error: Error) {
        let waiter = state.withLockedValue { state in
            state.waiters.firstIndex(where: { $0.id == id }).map { state.waiters.remove(at: $0) }
        }
        waiter?.timeout?.cancel()
        waiter?.continuation.resume(throwing: error)
    }

    /// A slot (opening or in use) went away without a reusable connection: pass it to the
    /// first waiter as a permit so it opens a replacement.
    private func slotFreed(openingSlot: Bool) {
        let waiter: Waiter? = state.withLockedValue { state in
            if openingSlot { state.opening -= 1 } else { state.inUse -= 1 }
            guard !state.closed, !state.waiters.isEmpty else { return nil }
            state.opening += 1
            return state.waiters.removeFirst()
        }
        waiter?.timeout?.cancel()
        waiter?.continuation.resume(returning: .permit)
    }

    func release(_ lease: Lease) async {
        let connection = lease.connection
        // A committing statement run outside `withTransaction` must not refuse the next user's.
        connection.endTransactionScope()
        let reusable = !connection.isBroken && connection.transactionState == .idle && !isExpired(lease)
        guard reusable else {
            logger.debug("discarding connection", metadata: [
                "pg.backend_pid": "\(connection.backendPID)", "pg.broken": "\(connection.isBroken)",
            ])
            slotFreed(openingSlot: false)
            await connection.close()
            return
        }
        let (waiter, expired, closeThis): (Waiter?, [Lease], Bool) = state.withLockedValue { state in
            if state.closed {
                state.inUse -= 1
                return (nil, [], true)
            }
            if !state.waiters.isEmpty {
                return (state.waiters.removeFirst(), [], false)  // hand over; stays in use
            }
            state.inUse -= 1
            state.idle.append(lease)
            // Reap idle connections past their lifetime while we hold the lock anyway.
            let expired = state.idle.filter(isExpired)
            state.idle.removeAll(where: isExpired)
            return (nil, expired, false)
        }
        if let waiter {
            waiter.timeout?.cancel()
            waiter.continuation.resume(returning: .connection(lease))
        }
        if closeThis { await connection.close() }
        await Self.close(expired.map(\.connection))
    }

    private func isExpired(_ lease: Lease) -> Bool {
        guard let lifetime = configuration.maxConnectionLifetime else { return false }
        return lease.openedAt.duration(to: .now) > lifetime
    }

    private static func close(_ connections: [PostgresConnection]) async {
        await withTaskGroup(of: Void.self) { group in
            for connection in connections {
                group.addTask { await connection.close() }
            }
        }
    }

    private static let closedError = PostgresError(kind: .poolClosed, message: "the connection pool is shut down")
}
