import Foundation
import VigilPrimitives

/// The fields of one audit entry that the hash chain covers.
public struct AuditRecord: Sendable, Equatable, Codable {
    public var workspaceID: UUID
    public var seq: Int64
    public var id: UUID
    public var occurredAtMicros: Int64
    public var actorType: String
    public var actorID: String
    public var action: String
    public var resourceType: String
    public var resourceID: String?
    public var sourceIP: String?
    public var correlationID: String?
    public var details: [String: String]
    public var detailsDigest: String
    public var prevHash: String
    public var rowHash: String

    public init(workspaceID: UUID, seq: Int64, id: UUID, occurredAtMicros: Int64, actorType: String, actorID: String,
                action: String, resourceType: String, resourceID: String?, sourceIP: String?, correlationID: String?,
                details: [String: String], detailsDigest: String, prevHash: String, rowHash: String) {
        self.workspaceID = workspaceID
        self.seq = seq
        self.id = id
        self.occurredAtMicros = occurredAtMicros
        self.actorType = actorType
        self.actorID = actorID
        self.action = action
        self.resourceType = resourceType
        self.resourceID = resourceID
        self.sourceIP = sourceIP
        self.correlationID = correlationID
        self.details = details
        self.detailsDigest = detailsDigest
        self.prevHash = prevHash
        self.rowHash = rowHash
    }

    /// The names a sealed segment file (`AuditSegment`) gives the fields.
    enum CodingKeys: String, CodingKey {
        case seq, id, action, details
        case workspaceID = "workspace_id", occurredAtMicros = "occurred_at_us", actorType = "actor_type", actorID = "actor_id"
        case resourceType = "resource_type", resourceID = "resource_id", sourceIP = "source_ip"
        case correlationID = "correlation_id", detailsDigest = "details_digest", prevHash = "prev_hash", rowHash = "row_hash"
    }
}

/// Hash chain over a workspace's audit entries. Each row's hash covers the previous row's
/// hash, so altering, deleting or inserting any row breaks every hash after it. Details enter
/// only through their digest: a GDPR erasure may later replace the details of a row (keeping
/// the digest) without breaking verification of the chain.
///
/// Redaction marker: an erasure that replaces a row's details adds the member
/// `"_redacted": "<RFC 3339 time>"` to them (see `AuditRedaction`). The verifier skips the
/// details-digest check for such rows — their original details are gone by design — but still
/// checks sequence, previous hash and row hash (which covers the ORIGINAL digest), so the
/// redaction is visible in the row and every other field stays tamper-evident. A row whose details
/// change without the marker still fails with `detailsDigestMismatch`, and removing the marker
/// from a redacted row makes it fail too. `seal` drops the marker from new rows, so no row can be
/// born exempt from the digest check.
public enum AuditChain {
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The details member that marks a row whose details were redacted after it was written.
    public static let redactionMarkerKey = "_redacted"

    /// Whether `details` carry a valid redaction marker (the key with an RFC 3339 time; any other
    /// value does not count, so a stray `_redacted: "x"` cannot switch off the digest check).
    public static func isRedacted(_ details: [String: String]) -> Bool {
        guard let marker = details[redactionMarkerKey] else { return false }
        return RFC3339.parse(marker) != nil
    }

    public enum Defect: String, Sendable, Equatable {
        case sequenceGap = "sequence_gap"
        case prevHashMismatch = "prev_hash_mismatch"
        case rowHashMismatch = "row_hash_mismatch"
        case detailsDigestMismatch = "details_digest_mismatch"
        /// A stored seal's manifest does not carry a valid signature of its own public key.
        case sealSignatureMismatch = "seal_signature_mismatch"
    }

    /// Digest of details: keys sorted, each key and value length-prefixed, so no two different
    /// maps can produce the same bytes.
    public static func detailsDigest(_ details: [String: String]) -> String {
        var fields = LengthPrefixed(.uint32BigEndian)
        for key in details.keys.sorted() {
            fields.append(key)
            fields.append(details[key]!)
        }
        return SHA256Hex.hex(of: fields.bytes)
    }

    /// The hash of a row from its fields and its predecessor's hash.
    public static func rowHash(for r: AuditRecord) -> String {
        var fields = LengthPrefixed(.uint32BigEndian)
        for field in [r.prevHash, r.workspaceID.uuidString.lowercased(), String(r.seq), r.id.uuidString.lowercased(),
                      String(r.occurredAtMicros), r.actorType, r.actorID, r.action, r.resourceType,
                      r.resourceID ?? "", r.sourceIP ?? "", r.correlationID ?? "", r.detailsDigest] {
            fields.append(field)
        }
        return SHA256Hex.hex(of: fields.bytes)
    }

    /// Completes a new record: sets its details digest, prev hash and row hash. A redaction
    /// marker in the draft's details is removed (only a later redaction may add one).
    public static func seal(_ record: AuditRecord, after previousHash: String?) -> AuditRecord {
        var sealed = record
        sealed.details[redactionMarkerKey] = nil
        sealed.detailsDigest = detailsDigest(record.details)
        sealed.prevHash = previousHash ?? genesisHash
        sealed.rowHash = rowHash(for: sealed)
        return sealed
    }

    /// A point of a chain: the last row's sequence number and hash. The chain's start is
    /// `genesis`; after rows were sealed and pruned, the newest seal's head is where the live
    /// log continues.
    public struct Position: Sendable, Equatable {
        public var seq: Int64
        public var hash: String

        public init(seq: Int64, hash: String) {
            self.seq = seq
            self.hash = hash
        }

        public static let genesis = Position(seq: 0, hash: AuditChain.genesisHash)
    }

    /// Incremental verifier: feed rows in seq order; it remembers the first defect.
    public struct Verifier: Sendable {
        public private(set) var checked: Int64 = 0
        /// Rows verified as redacted (digest check skipped), up to the first defect.
        public private(set) var redacted: Int64 = 0
        public private(set) var firstDefect: (record: AuditRecord, defect: Defect)?
        private var expectedSeq: Int64
        private var previousHash: String

        /// Verifies the rows that follow `start` (the genesis by default, a seal's head after pruning).
        public init(after start: Position = .genesis) {
            expectedSeq = start.seq + 1
            previousHash = start.hash
        }

        /// `detailsRedacted` rows keep their digest but their details were replaced on purpose.
        /// nil (the default) reads it from the row: `AuditChain.isRedacted(r.details)`.
        public mutating func feed(_ r: AuditRecord, detailsRedacted: Bool? = nil) {
            checked += 1
            guard firstDefect == nil else { return }
            let detailsRedacted = detailsRedacted ?? AuditChain.isRedacted(r.details)
            let defect: Defect?
            if r.seq != expectedSeq {
                defect = .sequenceGap
            } else if r.prevHash != previousHash {
                defect = .prevHashMismatch
            } else if !detailsRedacted && AuditChain.detailsDigest(r.details) != r.detailsDigest {
                defect = .detailsDigestMismatch
            } else if AuditChain.rowHash(for: r) != r.rowHash {
                defect = .rowHashMismatch
            } else {
                defect = nil
            }
            if let defect { firstDefect = (r, defect) } else if detailsRedacted { redacted += 1 }
            expectedSeq = r.seq + 1
            previousHash = r.rowHash
        }

        public var intact: Bool { firstDefect == nil }
    }
}
