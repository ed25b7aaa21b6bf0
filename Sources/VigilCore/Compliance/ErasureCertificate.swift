import Foundation
import VigilPrimitives

/// Proof of a `subject_erasure`: what was found, what was done per table, counts before and
/// after, when — and a SHA-256 checksum over the certificate's canonical JSON, so any later
/// change to the figures is detectable.
///
/// The subject appears only as a salted fingerprint (`SubjectFingerprint`): the certificate is
/// kept after the data is gone and must not itself contain the erased identifiers.
///
/// `checksum` = lower-case hex SHA-256 of `canonicalJSON(includingChecksum: false)`, i.e. the
/// JSON document without its `checksum` member. Anyone can re-check a downloaded certificate:
/// remove `checksum`, canonicalise (RFC 8785), hash.
public struct ErasureCertificate: Sendable, Equatable {
    public static let formatVersion: Int64 = 1

    /// One table's outcome.
    public struct TableOutcome: Sendable, Equatable {
        public var table: String
        /// Matching rows before the erasure.
        public var found: Int
        /// Rows deleted (the row was only about the subject).
        public var deleted: Int
        /// Rows kept with the subject's values replaced (`ErasurePseudonym`), e.g. audit details.
        public var pseudonymised: Int
        /// Matches left afterwards, counted by a fresh search: 0 unless something could not be erased.
        public var remaining: Int
        /// Why something was kept, if anything (e.g. fields covered by the audit hash chain).
        public var note: String?

        public init(table: String, found: Int, deleted: Int, pseudonymised: Int, remaining: Int, note: String? = nil) {
            self.table = table
            self.found = found
            self.deleted = deleted
            self.pseudonymised = pseudonymised
            self.remaining = remaining
            self.note = note
        }

        /// Arithmetic a real run satisfies: nothing negative, no more handled than found.
        public var isConsistent: Bool {
            found >= 0 && deleted >= 0 && pseudonymised >= 0 && remaining >= 0 && deleted + pseudonymised <= found
        }
    }

    public var reportID: UUID
    public var workspaceID: UUID
    public var subjectFingerprint: String
    /// Sorted by table name.
    public var tables: [TableOutcome]
    /// When the erasure finished (whole seconds).
    public var erasedAt: Date
    /// Whether the workspace's audit chain verified after the erasure.
    public var auditChainIntact: Bool
    public private(set) var checksum: String

    /// Issues a certificate with its checksum computed.
    public init(reportID: UUID, workspaceID: UUID, subjectFingerprint: String, tables: [TableOutcome], erasedAt: Date,
                auditChainIntact: Bool) {
        self.reportID = reportID
        self.workspaceID = workspaceID
        self.subjectFingerprint = subjectFingerprint
        self.tables = tables.sorted { $0.table < $1.table }
        self.erasedAt = ComplianceTime.truncated(erasedAt)
        self.auditChainIntact = auditChainIntact
        self.checksum = ""
        self.checksum = computedChecksum
    }

    public var totalFound: Int { tables.reduce(0) { $0 + $1.found } }
    public var totalRemaining: Int { tables.reduce(0) { $0 + $1.remaining } }

    /// Nothing of the subject is left and the audit chain still verifies.
    public var isComplete: Bool { totalRemaining == 0 && auditChainIntact }

    public var computedChecksum: String { SHA256Hex.hex(of: canonicalJSON(includingChecksum: false).bytes) }

    /// The stored checksum matches the content (constant-time compare) and the figures add up.
    public func verify() -> Bool {
        ConstantTime.equals(checksum, computedChecksum) && tables.allSatisfy(\.isConsistent)
    }

    public func canonicalJSON(includingChecksum: Bool = true) -> CanonicalJSON {
        var members: [String: CanonicalJSON] = [
            "format_version": .int(Self.formatVersion),
            "kind": .string(ReportKind.subjectErasure.rawValue),
            "report_id": .string(reportID.uuidString.lowercased()),
            "workspace_id": .string(workspaceID.uuidString.lowercased()),
            "subject_fingerprint": .string(subjectFingerprint),
            "erased_at": .string(ComplianceTime.format(erasedAt)),
            "audit_chain_intact": .bool(auditChainIntact),
            "tables": .array(tables.map { outcome in
                var table: [String: CanonicalJSON] = [
                    "table": .string(outcome.table), "found": .int(Int64(outcome.found)),
                    "deleted": .int(Int64(outcome.deleted)), "pseudonymised": .int(Int64(outcome.pseudonymised)),
                    "remaining": .int(Int64(outcome.remaining)),
                ]
                if let note = outcome.note { table["note"] = .string(note) }
                return .object(table)
            }),
            "totals": .object(["found": .int(Int64(totalFound)), "remaining": .int(Int64(totalRemaining))]),
        ]
        if includingChecksum { members["checksum"] = .string(checksum) }
        return .object(members)
    }

    /// The certificate file's bytes (with checksum).
    public var bytes: [UInt8] { canonicalJSON().bytes }

    public enum ParseError: Error, Equatable {
        case notJSON
        case missingField(String)
    }

    /// Checks a certificate file as downloaded: the document without its `checksum` member,
    /// canonicalised, must hash to that checksum (so no field — not even an unknown one — was
    /// added or changed), and the parsed figures must add up.
    public static func verifyDocument(_ bytes: [UInt8]) -> Bool {
        guard case .object(var members)? = try? JSONDecoder().decode(CanonicalJSON.self, from: Data(bytes)),
              let stored = members.removeValue(forKey: "checksum")?.stringValue,
              let certificate = try? parse(bytes) else { return false }
        return ConstantTime.equals(stored, SHA256Hex.hex(of: CanonicalJSON.object(members).bytes)) && certificate.verify()
    }

    /// Reads a certificate file back (to verify it). The checksum is taken as stored, not
    /// recomputed: call `verify()`.
    public static func parse(_ bytes: [UInt8]) throws -> ErasureCertificate {
        guard let json = try? JSONDecoder().decode(CanonicalJSON.self, from: Data(bytes)) else { throw ParseError.notJSON }
        func string(_ key: String, in object: CanonicalJSON = json) throws -> String {
            guard let value = object[key]?.stringValue else { throw ParseError.missingField(key) }
            return value
        }
        func int(_ key: String, in object: CanonicalJSON) throws -> Int {
            guard let value = object[key]?.intValue, let int = Int(exactly: value) else { throw ParseError.missingField(key) }
            return int
        }
        guard let reportID = UUID(uuidString: try string("report_id")) else { throw ParseError.missingField("report_id") }
        guard let workspaceID = UUID(uuidString: try string("workspace_id")) else { throw ParseError.missingField("workspace_id") }
        guard let erasedAt = RFC3339.parse(try string("erased_at")) else { throw ParseError.missingField("erased_at") }
        guard case .bool(let intact)? = json["audit_chain_intact"] else { throw ParseError.missingField("audit_chain_intact") }
        guard let tableValues = json["tables"]?.arrayValue else { throw ParseError.missingField("tables") }
        let tables = try tableValues.map { table in
            TableOutcome(table: try string("table", in: table), found: try int("found", in: table),
                         deleted: try int("deleted", in: table), pseudonymised: try int("pseudonymised", in: table),
                         remaining: try int("remaining", in: table), note: table["note"]?.stringValue)
        }
        var certificate = ErasureCertificate(reportID: reportID, workspaceID: workspaceID,
                                             subjectFingerprint: try string("subject_fingerprint"), tables: tables,
                                             erasedAt: erasedAt, auditChainIntact: intact)
        certificate.checksum = try string("checksum")
        return certificate
    }
}
