import Foundation
import PostgresClient
import VigilCore

/// Sealed audit segments (migration 0026). Reads are the API's; inserting a seal, pruning the
/// sealed rows and discarding old bodies are the worker's (the grants say so).
public struct AuditSealRepository: Sendable {
    public init() {}

    static let columns = """
        id, workspace_id, seq_from, seq_to, row_count, prev_hash, head_hash,
        (extract(epoch FROM first_occurred_at) * 1000000)::bigint AS first_us,
        (extract(epoch FROM last_occurred_at) * 1000000)::bigint AS last_us,
        (extract(epoch FROM sealed_at) * 1000000)::bigint AS sealed_us,
        key_id, public_key, signature, segment_sha256, segment_bytes, segment_discarded_at
        """

    /// The newest seal of the current workspace: where its live chain continues.
    public func newest(on connection: Transaction) async throws -> AuditSeal? {
        try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM audit_seals ORDER BY seq_to DESC LIMIT 1
            """).first.map(Self.decode)
    }

    /// Newest first, `beforeSeqTo` exclusive.
    public func list(limit: Int, beforeSeqTo: Int64?, on connection: Transaction) async throws -> [AuditSeal] {
        try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM audit_seals
             WHERE (\(beforeSeqTo)::bigint IS NULL OR seq_to < \(beforeSeqTo))
             ORDER BY seq_to DESC LIMIT \(limit)
            """).map(Self.decode)
    }

    /// Oldest first, `afterSeqTo` exclusive: to walk the seals in bounded batches.
    public func ascending(afterSeqTo: Int64, limit: Int, on connection: Transaction) async throws -> [AuditSeal] {
        try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM audit_seals WHERE seq_to > \(afterSeqTo) ORDER BY seq_to LIMIT \(limit)
            """).map(Self.decode)
    }

    public func find(id: UUID, on connection: Transaction) async throws -> AuditSeal? {
        try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM audit_seals WHERE id = \(id)
            """).first.map(Self.decode)
    }

    /// The segment document, nil once discarded (or for an unknown id).
    public func segment(id: UUID, on connection: Transaction) async throws -> [UInt8]? {
        try await connection.query("""
            SELECT segment FROM audit_seals WHERE id = \(id) AND segment IS NOT NULL
            """).first.map { [UInt8](try $0.decode("segment", as: Data.self)) }
    }

    /// Stored segment bodies of the current workspace containing any of `terms`
    /// (case-insensitive), oldest first: the prefilter of a subject search.
    public func segmentsMentioning(_ terms: [String], on connection: Transaction) async throws -> [(id: UUID, document: [UInt8])] {
        try await connection.query("""
            SELECT id, segment FROM audit_seals s
             WHERE segment IS NOT NULL
               AND EXISTS (SELECT 1 FROM unnest(\(terms)::text[]) term
                            WHERE strpos(lower(convert_from(s.segment, 'UTF8')), lower(term)) > 0)
             ORDER BY seq_to
            """).map { (try $0.decode("id", as: UUID.self), [UInt8](try $0.decode("segment", as: Data.self))) }
    }

    /// Replaces a stored body (a subject erasure redacted details in it); false once discarded.
    public func rewriteSegment(id: UUID, document: [UInt8], on connection: Transaction) async throws -> Bool {
        try await connection.execute("""
            UPDATE audit_seals SET segment = \(Data(document)), segment_sha256 = \(SHA256Hex.hex(of: document)),
                                   segment_bytes = \(Int64(document.count))
             WHERE id = \(id) AND segment IS NOT NULL
            """) == 1
    }

    public func insert(_ segment: AuditSegment, id: UUID, document: [UInt8], on connection: Transaction) async throws {
        let m = segment.manifest
        try await connection.execute("""
            INSERT INTO audit_seals (workspace_id, id, seq_from, seq_to, row_count, prev_hash, head_hash, first_occurred_at,
                                     last_occurred_at, sealed_at, key_id, public_key, signature, segment_sha256,
                                     segment_bytes, segment)
            VALUES (\(m.workspaceID), \(id), \(m.seqFrom), \(m.seqTo), \(m.rowCount), \(m.prevHash), \(m.headHash),
                    'epoch'::timestamptz + \(m.firstOccurredAtMicros) * interval '1 microsecond',
                    'epoch'::timestamptz + \(m.lastOccurredAtMicros) * interval '1 microsecond',
                    'epoch'::timestamptz + \(m.sealedAtMicros) * interval '1 microsecond',
                    \(m.keyID), \(m.publicKey), \(segment.signature), \(SHA256Hex.hex(of: document)),
                    \(Int64(document.count)), \(Data(document)))
            """)
    }

    /// Deletes the current workspace's audit rows up to `seqTo`, which a stored seal must end
    /// at (vigil_prune_sealed_audit refuses otherwise). Returns the rows deleted.
    public func pruneSealedRows(upTo seqTo: Int64, on connection: Transaction) async throws -> Int {
        Int(try await connection.query("SELECT vigil_prune_sealed_audit(\(seqTo)) AS removed").first?
            .decode("removed", as: Int64.self) ?? 0)
    }

    /// Drops the bodies of the current workspace's seals sealed before `cutoff`; the manifests stay.
    public func discardSegments(sealedBefore cutoff: Date, now: Date, on connection: Transaction) async throws -> Int {
        try await connection.execute("""
            UPDATE audit_seals SET segment = NULL, segment_discarded_at = \(now)
             WHERE sealed_at < \(cutoff) AND segment IS NOT NULL
            """)
    }

    static func decode(_ row: PostgresRow) throws -> AuditSeal {
        let manifest = AuditSegment.Manifest(
            workspaceID: try row.decode("workspace_id", as: UUID.self),
            seqFrom: try row.decode("seq_from", as: Int64.self),
            seqTo: try row.decode("seq_to", as: Int64.self),
            rowCount: try row.decode("row_count", as: Int64.self),
            prevHash: try row.decode("prev_hash", as: String.self),
            headHash: try row.decode("head_hash", as: String.self),
            firstOccurredAtMicros: try row.decode("first_us", as: Int64.self),
            lastOccurredAtMicros: try row.decode("last_us", as: Int64.self),
            sealedAtMicros: try row.decode("sealed_us", as: Int64.self),
            keyID: try row.decode("key_id", as: String.self),
            publicKey: try row.decode("public_key", as: String.self))
        return AuditSeal(
            id: try row.decode("id", as: UUID.self), manifest: manifest,
            signature: try row.decode("signature", as: String.self),
            segmentSHA256: try row.decode("segment_sha256", as: String.self),
            segmentBytes: try row.decode("segment_bytes", as: Int64.self),
            segmentDiscardedAt: try row.decode("segment_discarded_at", as: Date?.self))
    }
}
