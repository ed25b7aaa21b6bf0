import Foundation
import PostgresClient
import VigilCore

/// The append-only audit log (the application role has no UPDATE or DELETE on it).
public struct AuditLogRepository: Sendable {
    public init() {}

    /// Arbitrary constant naming this lock space in pg_advisory_xact_lock(int, int).
    static let chainLockSpace: Int32 = 0x5647_4C41

    static let columns = """
        workspace_id, seq, id, (extract(epoch FROM occurred_at) * 1000000)::bigint AS occurred_us, actor_type, actor_id,
        action, resource_type, resource_id, source_ip, correlation_id, details, details_digest, prev_hash, row_hash
        """

    /// Appends an entry to its workspace's chain. Holds a transaction-scoped lock on the chain
    /// so concurrent appends cannot fork it; `seq`, hashes and digest are filled in here.
    @discardableResult
    public func append(_ draft: AuditRecord, on connection: Transaction) async throws -> AuditRecord {
        try await lockChain(of: draft.workspaceID, on: connection)
        // The newest row, or when every row was sealed and pruned, the newest seal's head.
        let head = try await connection.query("""
            (SELECT seq, row_hash FROM audit_log WHERE workspace_id = \(draft.workspaceID) ORDER BY seq DESC LIMIT 1)
            UNION ALL
            (SELECT seq_to, head_hash FROM audit_seals WHERE workspace_id = \(draft.workspaceID) ORDER BY seq_to DESC LIMIT 1)
            ORDER BY seq DESC LIMIT 1
            """).first
        var record = draft
        record.seq = (try head?.decode("seq", as: Int64.self) ?? 0) + 1
        record = AuditChain.seal(record, after: try head?.decode("row_hash", as: String.self))
        try await connection.query("""
            INSERT INTO audit_log (workspace_id, seq, id, occurred_at, actor_type, actor_id, action, resource_type,
                                   resource_id, source_ip, correlation_id, details, details_digest, prev_hash, row_hash)
            VALUES (\(record.workspaceID), \(record.seq), \(record.id),
                    'epoch'::timestamptz + \(record.occurredAtMicros) * interval '1 microsecond',
                    \(record.actorType), \(record.actorID), \(record.action), \(record.resourceType), \(record.resourceID),
                    \(record.sourceIP), \(record.correlationID), \(try PostgresJSON(encoding: record.details)),
                    \(record.detailsDigest), \(record.prevHash), \(record.rowHash))
            """)
        return record
    }

    /// Serialises appends (and sealing) of one workspace's chain until the transaction ends.
    public func lockChain(of workspaceID: UUID, on connection: Transaction) async throws {
        try await connection.query("""
            SELECT pg_advisory_xact_lock(\(Self.chainLockSpace), hashtext(\(workspaceID.uuidString.lowercased())))
            """)
    }

    /// Newest first.
    public func list(workspaceID: UUID, filter: AuditLogFilter, limit: Int, beforeSeq: Int64?,
                     on connection: Transaction) async throws -> [AuditRecord] {
        // Each optional filter is a bound parameter compared only when not NULL, so the SQL text
        // is fixed and no value ever reaches it.
        let rows = try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM audit_log
            WHERE workspace_id = \(workspaceID)
              AND (\(beforeSeq)::bigint IS NULL OR seq < \(beforeSeq))
              AND (\(filter.action)::text IS NULL OR action = \(filter.action))
              AND (\(filter.actorID)::text IS NULL OR actor_id = \(filter.actorID))
              AND (\(filter.resourceType)::text IS NULL OR resource_type = \(filter.resourceType))
              AND (\(filter.since)::timestamptz IS NULL OR occurred_at >= \(filter.since))
              AND (\(filter.until)::timestamptz IS NULL OR occurred_at < \(filter.until))
            ORDER BY seq DESC LIMIT \(limit)
            """)
        return try rows.map(Self.decode)
    }

    /// Oldest first, `afterSeq` exclusive; used to walk the chain in bounded batches.
    /// `detailsRedacted`: an erasure replaced the row's details on purpose (migration 0008).
    public func chainBatch(workspaceID: UUID, afterSeq: Int64, limit: Int,
                           on connection: Transaction) async throws -> [(record: AuditRecord, detailsRedacted: Bool)] {
        try await connection.query("""
            SELECT \(unescaped: Self.columns), details_redacted_at IS NOT NULL AS redacted FROM audit_log
            WHERE workspace_id = \(workspaceID) AND seq > \(afterSeq) ORDER BY seq LIMIT \(limit)
            """).map { (try Self.decode($0), try $0.decode("redacted", as: Bool.self)) }
    }

    /// Rows whose details or source address mention any of `terms` (case-insensitive), oldest first.
    public func mentioning(_ terms: [String], limit: Int, on connection: Transaction) async throws -> [AuditRecord] {
        try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM audit_log a
             WHERE EXISTS (SELECT 1 FROM unnest(\(terms)::text[]) term
                            WHERE strpos(lower(a.details::text), lower(term)) > 0 OR lower(coalesce(a.source_ip, '')) = lower(term))
             ORDER BY seq LIMIT \(limit)
            """).map(Self.decode)
    }

    /// Replaces a row's details (erasure); false if the row or its digest did not match.
    public func redactDetails(seq: Int64, expectedDigest: String, details: [String: String],
                              on connection: Transaction) async throws -> Bool {
        let json = String(decoding: try JSONEncoder().encode(details), as: UTF8.self)
        return try await connection.query("""
            SELECT vigil_redact_audit_details(\(seq), \(expectedDigest), \(json)::jsonb) AS ok
            """).first?.decode("ok", as: Bool.self) ?? false
    }

    static func decode(_ row: PostgresRow) throws -> AuditRecord {
        AuditRecord(
            workspaceID: try row.decode("workspace_id", as: UUID.self),
            seq: try row.decode("seq", as: Int64.self),
            id: try row.decode("id", as: UUID.self),
            occurredAtMicros: try row.decode("occurred_us", as: Int64.self),
            actorType: try row.decode("actor_type", as: String.self),
            actorID: try row.decode("actor_id", as: String.self),
            action: try row.decode("action", as: String.self),
            resourceType: try row.decode("resource_type", as: String.self),
            resourceID: try row.decode("resource_id", as: String?.self),
            sourceIP: try row.decode("source_ip", as: String?.self),
            correlationID: try row.decode("correlation_id", as: String?.self),
            details: try row.decode("details", as: PostgresJSON.self).decode([String: String].self),
            detailsDigest: try row.decode("details_digest", as: String.self),
            prevHash: try row.decode("prev_hash", as: String.self),
            rowHash: try row.decode("row_hash", as: String.self)
        )
    }
}
