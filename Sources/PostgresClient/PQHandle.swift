import CLibPQ
import Logging
import NIOConcurrencyHelpers

/// Owns one `PGconn`.
///
/// `@unchecked Sendable` because the raw `OpaquePointer` is not Sendable. It is safe because
/// every access to `conn` happens inside `lock` (see `withConn` / `finish`), and in practice
/// only from the owning connection's single executor thread, so libpq never sees two threads
/// using the same PGconn at once.
final class PQHandle: @unchecked Sendable {
    private let lock = NIOLock()
    private var conn: OpaquePointer?
    /// Kept alive by this handle for as long as libpq may call back with it (until PQfinish).
    private let notices: NoticeSink

    /// Takes ownership of `conn` and routes its server notices into `logger`.
    init(conn: OpaquePointer, logger: Logger) {
        notices = NoticeSink(logger: logger)
        PQsetNoticeReceiver(conn, noticeReceiver, Unmanaged.passUnretained(notices).toOpaque())
        self.conn = conn
    }

    /// True once the server has sent a FATAL/PANIC message outside of a query (e.g. an idle
    /// backend killed by pg_terminate_backend); the connection must not be reused.
    var sawFatalNotice: Bool {
        notices.sawFatal.withLockedValue { $0 }
    }

    func withConn<R>(_ body: (OpaquePointer) throws -> R) throws -> R {
        try lock.withLock {
            guard let conn else { throw PostgresError.closed }
            return try body(conn)
        }
    }

    func finish() {
        lock.withLock {
            if let conn {
                PQfinish(conn)
                self.conn = nil
            }
        }
    }

    deinit {
        finish()
    }
}

/// Context object for the C notice callback.
final class NoticeSink: Sendable {
    let logger: Logger
    let sawFatal = NIOLockedValueBox(false)

    init(logger: Logger) {
        self.logger = logger
    }
}

/// libpq's default prints notices to stderr; log them at debug level instead.
private let noticeReceiver: PQnoticeReceiver = { context, result in
    guard let context, let result else { return }
    let sink = Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue()
    let severity = LibPQ.field(result, LibPQ.diagSeverityNonLocalized) ?? "NOTICE"
    let message = LibPQ.field(result, LibPQ.diagMessagePrimary) ?? ""
    if severity == "FATAL" || severity == "PANIC" {
        sink.sawFatal.withLockedValue { $0 = true }
    }
    var metadata: Logger.Metadata = ["pg.severity": "\(severity)"]
    if let sqlState = LibPQ.field(result, LibPQ.diagSQLState) { metadata["pg.sqlstate"] = "\(sqlState)" }
    sink.logger.debug("postgres notice: \(message)", metadata: metadata)
}
