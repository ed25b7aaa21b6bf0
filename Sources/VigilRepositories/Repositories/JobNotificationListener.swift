import VigilCore
import Logging
import PostgresClient

/// LISTENs on the job channel on a dedicated connection (never a pooled one: LISTEN is
/// session state, which PgBouncer in transaction mode does not keep).
public struct JobNotificationListener: Sendable {
    let conninfo: String
    let logger: Logger

    public init(conninfo: String, logger: Logger) {
        self.conninfo = conninfo
        self.logger = logger
    }

    /// Calls `onNotification` with each enqueued kind until the task is cancelled (returns)
    /// or the connection is lost (throws `JobListenUnavailable`). `onListening` runs once the
    /// LISTEN is confirmed.
    public func listen(onListening: @Sendable () -> Void, onNotification: @Sendable (String) -> Void) async throws {
        let listener = try await StorageError.translating { try await PostgresListener.connect(conninfo: conninfo, logger: logger) }
        do {
            try await StorageError.translating { try await listener.listen(JobRepository.notificationChannel) }
        } catch {
            await listener.close()
            throw error
        }
        onListening()
        for await notification in listener.notifications {
            onNotification(notification.payload)
        }
        let cancelled = Task.isCancelled
        await listener.close()
        if !cancelled { throw JobListenUnavailable() }
    }
}

/// LISTEN is not configured or the listening connection was lost.
public struct JobListenUnavailable: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "LISTEN for jobs is unavailable" }
}
