import Foundation
import PostgresClient
import VigilCore

/// Aggregated failed authentications (migration 0012). Writes are upserts that add to the
/// row's count: no advisory lock and no hash chain, so a flood costs one short statement per
/// (workspace, minute, kind, address) per flush, never one chain append per request.
public struct AuthFailureRepository: Sendable {
    public init() {}

    /// Adds `tally.count` failures to the row of the tally's key, creating it if needed.
    public func add(_ tally: AuthFailureRecord, on connection: Transaction) async throws {
        try await connection.query("""
            INSERT INTO auth_failures (workspace_id, minute, kind, source_ip, count, first_seen, last_seen,
                                       last_reason, last_key_id, last_correlation_id)
            VALUES (\(tally.workspaceID), \(tally.minute), \(tally.kind.rawValue), \(tally.sourceIP), \(tally.count),
                    \(tally.firstSeen), \(tally.lastSeen), \(tally.lastReason), \(tally.lastKeyID), \(tally.lastCorrelationID))
            ON CONFLICT (workspace_id, minute, kind, source_ip) DO UPDATE
               SET count = auth_failures.count + EXCLUDED.count,
                   first_seen = least(auth_failures.first_seen, EXCLUDED.first_seen),
                   last_seen = greatest(auth_failures.last_seen, EXCLUDED.last_seen),
                   last_reason = EXCLUDED.last_reason,
                   last_key_id = coalesce(EXCLUDED.last_key_id, auth_failures.last_key_id),
                   last_correlation_id = coalesce(EXCLUDED.last_correlation_id, auth_failures.last_correlation_id)
            """)
    }

    /// Newest minute first, then by id; `before` is the position after the previous page's last row.
    public func list(workspaceID: UUID, limit: Int, before: (minute: Date, id: UUID)?,
                     on connection: Transaction) async throws -> [AuthFailureRecord] {
        try await connection.query("""
            SELECT workspace_id, minute, kind, source_ip, id, count, first_seen, last_seen, last_reason,
                   last_key_id, last_correlation_id
              FROM auth_failures
             WHERE workspace_id = \(workspaceID)
               AND (\(before?.minute)::timestamptz IS NULL OR (minute, id) < (\(before?.minute), \(before?.id)))
             ORDER BY minute DESC, id DESC LIMIT \(limit)
            """).map(Self.decode)
    }

    static func decode(_ row: PostgresRow) throws -> AuthFailureRecord {
        let kind = try row.decode("kind", as: String.self)
        return AuthFailureRecord(
            id: try row.decode("id", as: UUID.self),
            workspaceID: try row.decode("workspace_id", as: UUID.self),
            minute: try row.decode("minute", as: Date.self),
            kind: AuthFailureKind(rawValue: kind) ?? .authFailed,
            sourceIP: try row.decode("source_ip", as: String.self),
            count: try row.decode("count", as: Int64.self),
            firstSeen: try row.decode("first_seen", as: Date.self),
            lastSeen: try row.decode("last_seen", as: Date.self),
            lastReason: try row.decode("last_reason", as: String.self),
            lastKeyID: try row.decode("last_key_id", as: UUID?.self),
            lastCorrelationID: try row.decode("last_correlation_id", as: String?.self))
    }
}
