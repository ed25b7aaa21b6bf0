import Foundation
import Testing
@testable import VigilCore

struct AuditRedactionTests {
    static let workspace = UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let salt = Array("erasure-run-salt".utf8)
    static let terms = SubjectSearchTerms.make(subject: DataSubject(email: "alice@example.com", ip: "10.0.0.1"),
                                               pseudonymKey: nil, redactionPolicy: RedactionPolicy(enabled: false))

    /// Five sealed rows; row 3 mentions the subject in its details.
    static func chain() -> [AuditRecord] {
        var records: [AuditRecord] = []
        for i in 1...5 {
            let details: [String: String] = i == 3
                ? ["email": "Alice@Example.com", "note": "reset for alice@example.com from 10.0.0.1", "role": "admin"]
                : ["n": "\(i)"]
            let draft = AuditRecord(workspaceID: workspace, seq: Int64(i), id: UUID(uuidString: "00000000-0000-0000-0000-00000000000\(i)")!, occurredAtMicros: 1_790_000_000_000_000 + Int64(i),
                                    actorType: "admin", actorID: "admin", action: "thing.\(i)", resourceType: "thing",
                                    resourceID: "\(i)", sourceIP: i == 5 ? "10.0.0.1" : "127.0.0.1", correlationID: "c\(i)",
                                    details: details, detailsDigest: "", prevHash: "", rowHash: "")
            records.append(AuditChain.seal(draft, after: records.last?.rowHash))
        }
        return records
    }

    static func verify(_ records: [AuditRecord]) -> AuditChain.Verifier {
        var verifier = AuditChain.Verifier()
        records.forEach { verifier.feed($0) }
        return verifier
    }

    static func redactedChain() throws -> [AuditRecord] {
        var records = chain()
        records[2] = try #require(AuditRedaction.redact(records[2], matching: terms, salt: salt, now: now))
        return records
    }

    @Test func redactingRow3KeepsTheChainVerifiable() throws {
        let original = Self.chain()
        let records = try Self.redactedChain()
        let row = records[2]
        #expect(row.detailsDigest == original[2].detailsDigest && row.rowHash == original[2].rowHash && row.prevHash == original[2].prevHash)
        #expect(row.details[AuditChain.redactionMarkerKey] == "2027-01-15T08:00:00Z")
        #expect(row.details["role"] == "admin", "values that do not mention the subject stay")
        #expect(!AuditRedaction.detailsMention(row, terms: Self.terms))
        // One spelling, one pseudonym: the email field and the email inside the note agree.
        let emailPseudonym = try #require(row.details["email"])
        #expect(ErasurePseudonym.isPseudonym(emailPseudonym))
        #expect(row.details["note"]?.hasPrefix("reset for \(emailPseudonym) from erased:sha256:") == true)
        let verifier = Self.verify(records)
        #expect(verifier.intact)
        #expect(verifier.checked == 5 && verifier.redacted == 1)
    }

    @Test func redactionIsIdempotent() throws {
        let records = try Self.redactedChain()
        #expect(AuditRedaction.redact(records[2], matching: Self.terms, salt: Self.salt, now: Self.now) == nil)
        #expect(AuditRedaction.redact(records[0], matching: Self.terms, salt: Self.salt, now: Self.now) == nil)
    }

    // (tampering after row 3 was redacted, first bad seq, defect)
    static let tamperings: [(String, @Sendable (inout [AuditRecord]) -> Void, Int64, AuditChain.Defect)] = [
        ("row 4 details edited without marker", { $0[3].details["n"] = "x" }, 4, .detailsDigestMismatch),
        ("row 4 given a bogus marker", { $0[3].details = ["n": "x", "_redacted": "yes"] }, 4, .detailsDigestMismatch),
        ("redacted row 3 action edited", { $0[2].action = "other" }, 3, .rowHashMismatch),
        ("redacted row 3 digest rewritten to match new details",
         { $0[2].detailsDigest = AuditChain.detailsDigest($0[2].details) }, 3, .rowHashMismatch),
        ("redacted row 3 source ip edited", { $0[2].sourceIP = "10.9.9.9" }, 3, .rowHashMismatch),
        ("marker removed from redacted row 3", { $0[2].details[AuditChain.redactionMarkerKey] = nil }, 3, .detailsDigestMismatch),
        ("redacted row 3 deleted", { $0.remove(at: 2) }, 4, .sequenceGap),
    ]

    @Test(arguments: tamperings.indices)
    func tamperingIsStillDetected(index: Int) throws {
        let (_, tamper, seq, defect) = Self.tamperings[index]
        var records = try Self.redactedChain()
        tamper(&records)
        let verifier = Self.verify(records)
        #expect(!verifier.intact)
        #expect(verifier.firstDefect?.record.seq == seq)
        #expect(verifier.firstDefect?.defect == defect)
    }

    @Test func aRowCannotBeBornRedacted() {
        let draft = AuditRecord(workspaceID: Self.workspace, seq: 1, id: UUID(), occurredAtMicros: 1, actorType: "admin",
                                actorID: "admin", action: "a", resourceType: "r", resourceID: nil, sourceIP: nil,
                                correlationID: nil, details: ["k": "v", "_redacted": "2027-01-15T08:00:00Z"],
                                detailsDigest: "", prevHash: "", rowHash: "")
        let sealed = AuditChain.seal(draft, after: nil)
        #expect(sealed.details == ["k": "v"])
        #expect(!AuditChain.isRedacted(sealed.details))
    }

    @Test func explicitFlagStillWorks() {
        var records = Self.chain()
        records[1].details = ["n": "[erased]"]
        var verifier = AuditChain.Verifier()
        verifier.feed(records[0])
        verifier.feed(records[1], detailsRedacted: true)
        verifier.feed(records[2], detailsRedacted: false)
        #expect(verifier.intact && verifier.redacted == 1)
    }

    @Test func hashCoveredMentionsAreReportedNotChanged() {
        let records = Self.chain()
        #expect(AuditRedaction.hashCoveredMentions(records[4], terms: Self.terms) == ["source_ip"])
        #expect(AuditRedaction.hashCoveredMentions(records[0], terms: Self.terms).isEmpty)
        #expect(AuditRedaction.redact(records[4], matching: Self.terms, salt: Self.salt, now: Self.now) == nil,
                "nothing in its details to redact")
    }
}
