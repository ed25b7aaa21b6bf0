import Foundation
import PostgresClient
import VigilCore

/// The notification ledger: every delivery attempt and suppression, append-only.
public struct NotificationLedgerRepository: Sendable {
    public init() {}

    static let columns = """
        id, alert_id, channel_id, channel_kind, event, idempotency_key, attempt, status, status_code, error, duration_ms,
        payload_sha256, created_at
        """

    /// Appends a row. A second `sent` row for the same idempotency key is refused by the unique
    /// index and reported as false (another attempt already delivered it).
    @discardableResult
    public func append(_ record: NotificationRecord, workspaceID: UUID, on connection: Transaction) async throws -> Bool {
        try await connection.execute("""
            INSERT INTO notifications (workspace_id, alert_id, channel_id, channel_kind, event, idempotency_key, attempt, status,
                                       status_code, error, duration_ms, payload_sha256)
            VALUES (\(workspaceID), \(record.alertID), \(record.channelID), \(record.channelKind), \(record.event),
                    \(record.idempotencyKey), \(record.attempt), \(record.status.rawValue), \(record.statusCode), \(record.error),
                    \(record.durationMilliseconds), \(record.payloadSHA256))
            ON CONFLICT (workspace_id, idempotency_key) WHERE status = 'sent' DO NOTHING
            """) > 0
    }

    public func wasSent(idempotencyKey: String, on connection: Transaction) async throws -> Bool {
        try await !connection.query("""
            SELECT 1 FROM notifications WHERE idempotency_key = \(idempotencyKey) AND status = 'sent'
            """).isEmpty
    }

    /// Newest first; `alertID` narrows to one alert.
    public func list(alertID: UUID?, beforeID: Int64?, limit: Int, on connection: Transaction) async throws -> [NotificationRecord] {
        try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM notifications
             WHERE (\(alertID)::uuid IS NULL OR alert_id = \(alertID))
               AND (\(beforeID)::bigint IS NULL OR id < \(beforeID))
             ORDER BY id DESC LIMIT \(limit)
            """).map(Self.record)
    }

    /// Channels this alert was (or was meant to be) notified on for an opening event, so
    /// acknowledgements and resolutions reach the same places (PagerDuty mirroring).
    public func channelsNotified(alertID: UUID, on connection: Transaction) async throws -> [UUID] {
        try await connection.query("""
            SELECT channel_id FROM notifications
             WHERE alert_id = \(alertID) AND channel_id IS NOT NULL AND event IN ('triggered', 'reopened', 'escalated')
               AND status IN ('sent', 'failed')
             GROUP BY channel_id ORDER BY min(id)
            """).map { try $0.decode("channel_id", as: UUID.self) }
    }

    public func attempts(idempotencyKey: String, on connection: Transaction) async throws -> Int {
        try await connection.query("""
            SELECT count(*)::integer AS n FROM notifications WHERE idempotency_key = \(idempotencyKey) AND status IN ('sent', 'failed')
            """).first!.decode("n", as: Int.self)
    }

    static func record(_ row: PostgresRow) throws -> NotificationRecord {
        NotificationRecord(
            id: try row.decode("id", as: Int64.self), alertID: try row.decode("alert_id", as: UUID?.self),
            channelID: try row.decode("channel_id", as: UUID?.self), channelKind: try row.decode("channel_kind", as: String?.self),
            event: try row.decode("event", as: String.self), idempotencyKey: try row.decode("idempotency_key", as: String.self),
            attempt: try row.decode("attempt", as: Int.self),
            status: NotificationRecord.Status(rawValue: try row.decode("status", as: String.self)) ?? .failed,
            statusCode: try row.decode("status_code", as: Int?.self), error: try row.decode("error", as: String?.self),
            durationMilliseconds: try row.decode("duration_ms", as: Double?.self),
            payloadSHA256: try row.decode("payload_sha256", as: String?.self), createdAt: try row.decode("created_at", as: Date.self))
    }
}
