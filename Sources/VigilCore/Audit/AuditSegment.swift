import Foundation
import VigilPrimitives

/// A sealed stretch of one workspace's audit chain: the rows, in order, and a manifest naming
/// the chain position they occupy, signed with the worker's Ed25519 key. It is what the worker
/// exports before rows past their retention are deleted, and what an auditor downloads and
/// verifies offline (`vigil audit verify-segment`).
///
/// The signature covers the manifest only. That is enough: each row's hash covers its
/// predecessor's hash, so the manifest's head hash (with its previous hash) commits to every
/// row. Details enter the hashes through their digest, so a GDPR redaction of a row's details
/// (marked as in the live log) keeps a segment verifiable.
public struct AuditSegment: Codable, Sendable, Equatable {
    public static let formatName = "vigil.audit-segment.v1"

    public var format: String
    public var manifest: Manifest
    /// Base64 Ed25519 signature of `manifest.signingBytes(format:)`.
    public var signature: String
    /// The entries, oldest first, exactly as stored (each names its workspace: its hash covers it).
    public var rows: [AuditRecord]

    public struct Manifest: Codable, Sendable, Equatable {
        public var workspaceID: UUID
        public var seqFrom: Int64
        public var seqTo: Int64
        public var rowCount: Int64
        /// The hash the first row continues from: the previous segment's head (or the genesis hash).
        public var prevHash: String
        /// The last row's hash: where the next segment, or the live log, continues.
        public var headHash: String
        public var firstOccurredAtMicros: Int64
        public var lastOccurredAtMicros: Int64
        public var sealedAtMicros: Int64
        public var keyID: String
        /// Base64 of the signer's public key. Verification against this copy proves integrity
        /// only; pin the operator's key (`--public-key`) to prove who sealed it.
        public var publicKey: String

        public init(workspaceID: UUID, seqFrom: Int64, seqTo: Int64, rowCount: Int64, prevHash: String, headHash: String,
                    firstOccurredAtMicros: Int64, lastOccurredAtMicros: Int64, sealedAtMicros: Int64, keyID: String, publicKey: String) {
            self.workspaceID = workspaceID
            self.seqFrom = seqFrom
            self.seqTo = seqTo
            self.rowCount = rowCount
            self.prevHash = prevHash
            self.headHash = headHash
            self.firstOccurredAtMicros = firstOccurredAtMicros
            self.lastOccurredAtMicros = lastOccurredAtMicros
            self.sealedAtMicros = sealedAtMicros
            self.keyID = keyID
            self.publicKey = publicKey
        }

        enum CodingKeys: String, CodingKey {
            case workspaceID = "workspace_id", seqFrom = "seq_from", seqTo = "seq_to", rowCount = "row_count"
            case prevHash = "prev_hash", headHash = "head_hash", firstOccurredAtMicros = "first_occurred_at_us"
            case lastOccurredAtMicros = "last_occurred_at_us", sealedAtMicros = "sealed_at_us", keyID = "key_id"
            case publicKey = "public_key"
        }

        /// Every field, length-prefixed, after the format name: no two manifests sign the same bytes.
        public func signingBytes(format: String) -> [UInt8] {
            var fields = LengthPrefixed(.uint32BigEndian)
            for field in [format, workspaceID.uuidString.lowercased(), String(seqFrom), String(seqTo), String(rowCount),
                          prevHash, headHash, String(firstOccurredAtMicros), String(lastOccurredAtMicros),
                          String(sealedAtMicros), keyID, publicKey] {
                fields.append(field)
            }
            return fields.bytes
        }
    }

    public enum SealError: Error, Equatable {
        case empty
        /// The rows do not form an intact chain from `prevHash`; nothing is sealed.
        case brokenChain(seq: Int64, reason: AuditChain.Defect)
    }

    /// Seals `rows` (oldest first, one workspace) as the continuation of `previousHead`. The
    /// rows are verified first: a tampered row is never laundered into a signed segment.
    /// `redacted(seq)` says whether the row's details were redacted on purpose.
    public static func seal(_ rows: [AuditRecord], after previousHead: AuditChain.Position, sealedAtMicros: Int64,
                            key: AuditSigningKey, redacted: (Int64) -> Bool = { _ in false }) throws -> AuditSegment {
        guard let first = rows.first, let last = rows.last else { throw SealError.empty }
        var verifier = AuditChain.Verifier(after: previousHead)
        for row in rows { verifier.feed(row, detailsRedacted: redacted(row.seq)) }
        if let (record, defect) = verifier.firstDefect { throw SealError.brokenChain(seq: record.seq, reason: defect) }
        let manifest = Manifest(
            workspaceID: first.workspaceID, seqFrom: first.seq, seqTo: last.seq, rowCount: Int64(rows.count),
            prevHash: first.prevHash, headHash: last.rowHash, firstOccurredAtMicros: first.occurredAtMicros,
            lastOccurredAtMicros: last.occurredAtMicros, sealedAtMicros: sealedAtMicros, keyID: key.keyID,
            publicKey: key.publicKey)
        return AuditSegment(format: formatName, manifest: manifest, signature: try key.sign(manifest.signingBytes(format: formatName)),
                            rows: rows)
    }

    /// The rows a retention run seals next, from `batch` (the oldest unsealed rows, in chain
    /// order): the longest prefix older than `cutoffMicros` (sealing never skips a row), at
    /// most `maxRows`, and at most `maxBytes` of estimated document size — tenants write the
    /// details, so one segment must stay a bounded document. A first row is always taken, so a
    /// single oversized row still makes progress.
    public static func duePrefix(_ batch: [AuditRecord], before cutoffMicros: Int64, maxRows: Int,
                                 maxBytes: Int) -> ArraySlice<AuditRecord> {
        var bytes = 0
        var count = 0
        for row in batch.prefix(maxRows) {
            guard row.occurredAtMicros < cutoffMicros else { break }
            bytes += estimatedBytes(row)
            if count > 0 && bytes > maxBytes { break }
            count += 1
        }
        return batch.prefix(count)
    }

    /// A row's size in the document: its texts plus the fixed fields and JSON punctuation.
    static func estimatedBytes(_ r: AuditRecord) -> Int {
        let texts = [r.actorType, r.actorID, r.action, r.resourceType, r.resourceID ?? "", r.sourceIP ?? "", r.correlationID ?? ""]
        return 512 + texts.reduce(0) { $0 + $1.utf8.count } + r.details.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 6 }
    }

    /// The document as stored and downloaded: JSON with sorted keys, so the same segment always
    /// has the same bytes (and checksum).
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    public static func decode(_ bytes: some DataProtocol) throws -> AuditSegment {
        try JSONDecoder().decode(AuditSegment.self, from: Data(bytes))
    }
}
