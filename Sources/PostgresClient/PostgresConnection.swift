import CLibPQ
import Foundation
import Logging
import NIOConcurrencyHelpers

/// One libpq connection. All libpq calls for it run, in order, on its own thread
/// (`BlockingExecutor`); callers await them without blocking Swift's cooperative pool.
///
/// Not a pool: concurrent calls on one connection are queued and run one after another.
public final class PostgresConnection: Sendable {
    enum TransactionState: Sendable {
        case idle, active, inTransaction, inError, unknown
    }

    struct State: Sendable {
        var broken = false
        var closed = false
        var transaction: TransactionState = .idle
        /// A transaction's opening statements (BEGIN, role, workspace), held back by
        /// `withTransaction` until its first statement, which carries them (see `Pipeline`).
        var deferredBegin: [String]?
        /// The transaction was committed by its last statement (`queryCommitting`).
        var committedByStatement = false
        /// Why the deferred opening failed: what `withTransaction` throws, even when `body`
        /// caught the error of the statement that carried it.
        var openingFailure: Error?
    }

    let handle: PQHandle
    let executor: BlockingExecutor
    let logger: Logger
    /// The socket fd, used only to poll for pending input while the connection is idle.
    let socket: Int32
    let state = NIOLockedValueBox(State())

    public let backendPID: Int32

    private init(handle: PQHandle, executor: BlockingExecutor, backendPID: Int32, socket: Int32, logger: Logger) {
        self.handle = handle
        self.executor = executor
        self.backendPID = backendPID
        self.socket = socket
        self.logger = logger
    }

    /// Opens a connection and prepares the session (UTC, ISO dates, hex bytea, optional
    /// statement_timeout, then `sessionSetup` in order).
    ///
    /// - Parameter conninfo: anything libpq accepts: "" (PG* environment variables apply), a
    ///   `postgresql://` URI, or `key=value` pairs. It is never logged (it may hold a password).
    public static func connect(
        conninfo: String,
        connectTimeout: Duration = .seconds(10),
        statementTimeout: Duration? = nil,
        idleInTransactionTimeout: Duration? = nil,
        sessionSetup: [String] = [],
        logger: Logger
    ) async throws -> PostgresConnection {
        let executor = BlockingExecutor()
        let opened: (PQHandle, Int32, Int32, String)
        do {
            opened = try await executor.run {
                try openHandle(conninfo: conninfo, connectTimeout: connectTimeout, logger: logger)
            }
        } catch {
            await executor.shutdown()
            throw error
        }
        let (handle, pid, socket, peer) = opened
        var connectionLogger = logger
        connectionLogger[metadataKey: "pg.backend_pid"] = "\(pid)"
        let connection = PostgresConnection(
            handle: handle, executor: executor, backendPID: pid, socket: socket, logger: connectionLogger
        )
        do {
            try await connection.simpleQuery(sessionDefaults(statementTimeout: statementTimeout, idleInTransactionTimeout: idleInTransactionTimeout))
            for statement in sessionSetup {
                try await connection.simpleQuery(statement)
            }
        } catch {
            await connection.close()
            throw error
        }
        connectionLogger.debug("connected to \(peer)")
        return connection
    }

    /// The session settings decoders rely on, plus the optional timeouts.
    static func sessionDefaults(statementTimeout: Duration?, idleInTransactionTimeout: Duration? = nil) -> String {
        var sql = "SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, MDY'; SET bytea_output TO 'hex'; SET extra_float_digits TO 3"
        if let statementTimeout {
            sql += "; SET statement_timeout TO \(milliseconds(statementTimeout))"
        }
        if let idleInTransactionTimeout {
            sql += "; SET idle_in_transaction_session_timeout TO \(milliseconds(idleInTransactionTimeout))"
        }
        return sql
    }

    /// Rounded up, so a sub-millisecond timeout doesn't become 0 (= disabled).
    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    /// Runs on the executor thread. Returns the handle, backend PID, socket and a loggable
    /// "host/db" description (never the conninfo itself).
    private static func openHandle(
        conninfo: String,
        connectTimeout: Duration,
        logger: Logger
    ) throws -> (PQHandle, Int32, Int32, String) {
        // Later keywords override what expand_dbname pulls out of the user's string, so our
        // timeout and encoding win; fallback_application_name yields to the user's own.
        var parameters: [(String, String)] = []
        if !conninfo.isEmpty { parameters.append(("dbname", conninfo)) }
        let timeoutSeconds = max(1, Int(connectTimeout.components.seconds) + (connectTimeout.components.attoseconds > 0 ? 1 : 0))
        parameters.append(("connect_timeout", String(timeoutSeconds)))
        parameters.append(("fallback_application_name", "vigil"))
        parameters.append(("client_encoding", "UTF8"))

        let conn = LibPQ.withCStringArray(parameters.map(\.0)) { keywords in
            LibPQ.withCStringArray(parameters.map(\.1)) { values in
                PQconnectdbParams(keywords, values, 1)
            }
        }
        guard let conn else {
            throw PostgresError(kind: .connection, message: "libpq could not allocate a connection")
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let error = LibPQ.connectionError(conn, context: "could not connect")
            PQfinish(conn)
            throw error
        }
        let host = PQhost(conn).map { String(cString: $0) } ?? "?"
        let database = PQdb(conn).map { String(cString: $0) } ?? "?"
        return (PQHandle(conn: conn, logger: logger), PQbackendPID(conn), PQsocket(conn), "\(host)/\(database)")
    }

    // MARK: - Statements

    /// Runs one statement with text-format parameters (PQexecParams), or, as the first
    /// statement of a `withTransaction`, pipelined behind the transaction's opening.
    @discardableResult
    public func query(_ q: PostgresQuery) async throws -> PostgresRows {
        try await run(q, committing: false)
    }

    /// Runs `q` as the last statement of the enclosing `withTransaction`, with COMMIT in the
    /// same pipeline: a transaction of one statement costs one round trip in all. Any later
    /// statement in that `withTransaction` is refused, since it would run outside it.
    @discardableResult
    public func queryCommitting(_ q: PostgresQuery) async throws -> PostgresRows {
        try await run(q, committing: true)
    }

    private func run(_ q: PostgresQuery, committing: Bool) async throws -> PostgresRows {
        logger.trace("query", metadata: ["pg.sql": "\(q.sql)"])
        let state = self.state
        return try await onConnectionThread { conn in
            let begin = try Self.takeDeferredBegin(state)
            guard !begin.isEmpty || committing else { return try Self.execParams(q, conn: conn) }
            let statements = begin.map { PostgresQuery(unsafeSQL: $0) } + [q] + (committing ? ["COMMIT"] : [])
            do {
                let results = try Pipeline.run(statements, conn: conn)
                if committing { state.withLockedValue { $0.committedByStatement = true } }
                return results[begin.count]
            } catch let failure as Pipeline.Failure {
                if failure.index < begin.count { state.withLockedValue { $0.openingFailure = failure.error } }
                throw failure.error
            }
        }
    }

    /// Sends a deferred opening on its own (for statements that cannot join a pipeline),
    /// remembering its failure for `withTransaction`. On the connection's thread.
    static func sendDeferredBegin(_ state: NIOLockedValueBox<State>, conn: OpaquePointer) throws {
        let begin = try takeDeferredBegin(state)
        guard !begin.isEmpty else { return }
        do {
            _ = try LibPQ.consume(PQexec(conn, begin.joined(separator: "; ")), conn: conn)
        } catch {
            state.withLockedValue { $0.openingFailure = error }
            throw error
        }
    }

    private static func execParams(_ q: PostgresQuery, conn: OpaquePointer) throws -> PostgresRows {
        try LibPQ.withCStringArray(q.binds.map(\.text)) { values in
            let types = q.binds.map { Oid($0.typeOID) }
            let result = types.withUnsafeBufferPointer { typesBuffer in
                PQexecParams(conn, q.sql, Int32(q.binds.count), typesBuffer.baseAddress, values, nil, nil, 0)
            }
            return try LibPQ.consume(result, conn: conn)
        }
    }

    /// On the connection's thread, in call order: the opening statements still to send (and
    /// forgets them, as they are about to be sent). Refuses a statement after the transaction
    /// was committed by `queryCommitting`.
    static func takeDeferredBegin(_ state: NIOLockedValueBox<State>) throws -> [String] {
        try state.withLockedValue { state in
            if state.committedByStatement {
                throw PostgresError(kind: .server, sqlState: "25000",
                                    message: "a statement after the transaction's committing statement would run outside it")
            }
            defer { state.deferredBegin = nil }
            return state.deferredBegin ?? []
        }
    }

    /// Runs one statement and returns the number of affected rows.
    @discardableResult
    public func execute(_ q: PostgresQuery) async throws -> Int {
        try await query(q).affectedRows
    }

    /// Runs SQL through the simple query protocol (PQexec): may hold several statements
    /// (migration files), takes no parameters. Stops at the first failing statement.
    public func simpleQuery(_ sql: String) async throws {
        logger.trace("simple query", metadata: ["pg.sql": "\(sql)"])
        let state = self.state
        _ = try await onConnectionThread { conn in
            // A deferred opening goes first, in the same hop to this thread.
            try Self.sendDeferredBegin(state, conn: conn)
            return try LibPQ.consume(PQexec(conn, sql), conn: conn)
        }
    }

    // MARK: - Transaction scope (for `PostgresPool.withTransaction`)

    func deferBegin(_ statements: [String]) {
        state.withLockedValue {
            $0.deferredBegin = statements
            $0.committedByStatement = false
            $0.openingFailure = nil
        }
    }

    /// Whether the transaction's opening is still unsent, i.e. no statement ran in it.
    var beginIsDeferred: Bool { state.withLockedValue { $0.deferredBegin != nil } }

    var wasCommittedByStatement: Bool { state.withLockedValue { $0.committedByStatement } }

    var openingFailure: Error? { state.withLockedValue { $0.openingFailure } }

    func endTransactionScope() {
        state.withLockedValue {
            $0.deferredBegin = nil
            $0.committedByStatement = false
            $0.openingFailure = nil
        }
    }

    // MARK: - State

    /// True once the connection is unusable: libpq reports CONNECTION_BAD, the server sent a
    /// FATAL error, or the connection was closed.
    public var isBroken: Bool {
        state.withLockedValue { $0.broken || $0.closed }
    }

    var transactionState: TransactionState {
        state.withLockedValue { $0.transaction }
    }

    /// Closes the connection (PQfinish) after any queued calls, and stops its thread.
    public func close() async {
        let alreadyClosed = state.withLockedValue { state in
            defer { state.closed = true }
            return state.closed
        }
        guard !alreadyClosed else { return }
        let handle = self.handle
        _ = try? await executor.run { handle.finish() }
        await executor.shutdown()
        logger.debug("connection closed")
    }

    deinit {
        // Safety net for connections dropped without close(): finish on the connection's own
        // thread, then let that thread exit.
        if !state.withLockedValue({ $0.closed }) {
            let handle = self.handle
            executor.submit { handle.finish() }
            executor.shutdownInBackground()
        }
    }

    /// Runs `body` with the PGconn on the connection's thread and records the resulting
    /// connection / transaction status afterwards.
    func onConnectionThread<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        if state.withLockedValue({ $0.closed }) { throw PostgresError.closed }
        let handle = self.handle
        let state = self.state
        return try await executor.run {
            try handle.withConn { conn in
                do {
                    let value = try body(conn)
                    Self.recordStatus(conn, handle: handle, error: nil, into: state)
                    return value
                } catch {
                    Self.recordStatus(conn, handle: handle, error: error, into: state)
                    throw error
                }
            }
        }
    }

    private static func recordStatus(
        _ conn: OpaquePointer, handle: PQHandle, error: Error?, into state: NIOLockedValueBox<State>
    ) {
        let bad = LibPQ.isBad(conn) || handle.sawFatalNotice || (error as? PostgresError)?.kind == .connection
        let transaction: TransactionState =
            switch PQtransactionStatus(conn) {
            case PQTRANS_IDLE: .idle
            case PQTRANS_ACTIVE: .active
            case PQTRANS_INTRANS: .inTransaction
            case PQTRANS_INERROR: .inError
            default: .unknown
            }
        state.withLockedValue { state in
            if bad { state.broken = true }
            state.transaction = transaction
        }
    }

    /// For the pool, before handing out an idle connection: if the server sent anything while
    /// we were idle (typically a FATAL message followed by EOF after pg_terminate_backend or a
    /// server restart), let libpq read it and report whether the connection survived.
    func isHealthyAfterIdle() async -> Bool {
        if isBroken { return false }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        // Zero timeout: this never blocks, so it is fine on the cooperative pool.
        let ready = poll(&descriptor, 1, 0)
        if ready == 0 { return true }
        do {
            try await onConnectionThread { conn in
                if PQconsumeInput(conn) == 0 { throw LibPQ.connectionError(conn) }
                // A pool connection shouldn't LISTEN, but never leak a PGnotify.
                while let notify = PQnotifies(conn) { PQfreemem(notify) }
            }
        } catch {
            return false
        }
        return !isBroken
    }
}

extension PostgresConnection {
    func markBroken() {
        state.withLockedValue { $0.broken = true }
    }
}
