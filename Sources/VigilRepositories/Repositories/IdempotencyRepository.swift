import Foundation
import PostgresClient
import VigilCore

/// Remembered `Idempotency-Key`s (`idempotency_keys`, migration 0022). Runs inside
/// `Database.inWorkspace`, so row-level security confines every statement to that workspace.
public struct IdempotencyRepository: Sendable {
    public init() {}

    /// The record stored under the key, live or expired (the caller decides; the core's
    /// `IdempotencyDecision`).
    public func find(operation: IdempotentOperation, key: IdempotencyKey, workspaceID: UUID,
                     on connection: Transaction) async throws -> IdempotencyRecord? {
        guard let row = try await connection.query("""
            SELECT fingerprint, response_status::bigint AS status, response_body, created_at, expires_at
              FROM idempotency_keys
             WHERE workspace_id = \(workspaceID) AND operation = \(operation.rawValue) AND key = \(key.value)
            """).first else { return nil }
        return IdempotencyRecord(fingerprint: RequestFingerprint(hex: try row.decode("fingerprint", as: String.self)),
                                 response: IdempotentResponse(status: Int(try row.decode("status", as: Int64.self)),
                                                              body: try row.decode("response_body", as: Data.self)),
                                 createdAt: try row.decode("created_at", as: Date.self),
                                 expiresAt: try row.decode("expires_at", as: Date.self))
    }

    /// Stores the answer under the key, replacing an expired record not yet pruned. Returns
    /// false when a live record is already there: another request with this key committed
    /// first (a concurrent one is waited for on the primary key), so the caller must roll back
    /// and answer from that record instead.
    public func insert(operation: IdempotentOperation, key: IdempotencyKey, record: IdempotencyRecord, workspaceID: UUID,
                       on connection: Transaction) async throws -> Bool {
        let rows = try await connection.query("""
            INSERT INTO idempotency_keys AS k (workspace_id, operation, key, fingerprint, response_status, response_body, created_at, expires_at)
            VALUES (\(workspaceID), \(operation.rawValue), \(key.value), \(record.fingerprint.hex), \(record.response.status),
                    \(record.response.body), \(record.createdAt), \(record.expiresAt))
            ON CONFLICT (workspace_id, operation, key) DO UPDATE
               SET fingerprint = EXCLUDED.fingerprint, response_status = EXCLUDED.response_status,
                   response_body = EXCLUDED.response_body, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
             WHERE k.expires_at <= \(record.createdAt)
            RETURNING 1 AS stored
            """)
        return !rows.isEmpty
    }
}
