import CLibPQ
import Foundation
import Logging
import NIOConcurrencyHelpers

public struct PostgresNotification: Sendable, Hashable {
    public var channel: String
    public var payload: String
    /// PID of the backend that sent the notification.
    public var backendPID: Int32

    public init(channel: String, payload: String, backendPID: Int32) {
        self.channel = channel
        self.payload = payload
        self.backendPID = backendPID
    }
}

/// A dedicated connection for LISTEN.
///
/// Its thread alternates between queued commands (LISTEN/UNLISTEN) and a `poll()` on the
/// socket with a short timeout, so notifications arrive promptly and `close()` never waits
/// longer than one poll interval.
public final class PostgresListener: Sendable {
    static let pollIntervalMilliseconds: Int32 = 100

    private let connection: PostgresConnection
    private let continuation: AsyncStream<PostgresNotification>.Continuation
    private let stopped = NIOLockedValueBox(false)

    /// All notifications for this listener's channels, in arrival order. Finishes when the
    /// listener is closed or its connection breaks. Iterate it from one task only.
    public let notifications: AsyncStream<PostgresNotification>

    private init(connection: PostgresConnection) {
        self.connection = connection
        (notifications, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    public static func connect(conninfo: String, logger: Logger) async throws -> PostgresListener {
        let connection = try await PostgresConnection.connect(conninfo: conninfo, logger: logger)
        let listener = PostgresListener(connection: connection)
        pump(connection: connection, continuation: listener.continuation, stopped: listener.stopped)
        return listener
    }

    /// Starts receiving notifications on `channel` (quoted as an identifier, so any name works).
    /// Returns once the server has confirmed the LISTEN.
    public func listen(_ channel: String) async throws {
        try await connection.simpleQuery("LISTEN \(Self.quoteIdentifier(channel))")
    }

    public func unlisten(_ channel: String) async throws {
        try await connection.simpleQuery("UNLISTEN \(Self.quoteIdentifier(channel))")
    }

    public var backendPID: Int32 { connection.backendPID }

    public func close() async {
        stopped.withLockedValue { $0 = true }
        continuation.finish()
        await connection.close()
    }

    static func quoteIdentifier(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One wait-and-drain step on the connection's thread; re-queues itself until stopped, so
    /// LISTEN/UNLISTEN commands queued meanwhile get their turn between steps.
    /// Captures no `self`, so a forgotten listener is not kept alive by its own pump.
    private static func pump(
        connection: PostgresConnection,
        continuation: AsyncStream<PostgresNotification>.Continuation,
        stopped: NIOLockedValueBox<Bool>
    ) {
        let handle = connection.handle
        connection.executor.submit {
            if stopped.withLockedValue({ $0 }) { return }
            let alive = (try? handle.withConn { conn in
                waitAndDrain(conn, continuation: continuation) && !LibPQ.isBad(conn) && !handle.sawFatalNotice
            }) ?? false
            if alive, !stopped.withLockedValue({ $0 }) {
                pump(connection: connection, continuation: continuation, stopped: stopped)
            } else {
                stopped.withLockedValue { $0 = true }
                connection.markBroken()
                continuation.finish()
            }
        }
    }

    /// Returns false if the connection is gone.
    private static func waitAndDrain(
        _ conn: OpaquePointer,
        continuation: AsyncStream<PostgresNotification>.Continuation
    ) -> Bool {
        var descriptor = pollfd(fd: PQsocket(conn), events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, pollIntervalMilliseconds)
        if ready < 0, errno != EINTR { return false }
        if ready > 0, PQconsumeInput(conn) == 0 { return false }
        // Also drains notifications libpq collected while running LISTEN itself.
        while let notify = PQnotifies(conn) {
            let pointee = notify.pointee
            continuation.yield(PostgresNotification(
                channel: String(cString: pointee.relname),
                payload: pointee.extra.map { String(cString: $0) } ?? "",
                backendPID: pointee.be_pid
            ))
            PQfreemem(notify)
        }
        return true
    }
}
