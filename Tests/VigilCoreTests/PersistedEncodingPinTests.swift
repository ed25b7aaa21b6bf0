import Foundation
import Testing
import VigilPrimitives
@testable import VigilCore

/// Hashes and documents that are stored or handed out, pinned to values computed independently
/// (Python's hashlib/hmac/json over the documented encodings). The shared primitives they are
/// built from (length prefixes, hex, canonical JSON, RFC 3339 text) may be refactored; these
/// bytes may not change, or stored audit chains, certificates and fingerprints stop verifying.
struct PersistedEncodingPinTests {
    @Test func auditDetailsDigestAndRowHash() {
        let details = ["b": "2", "a": "1", "": "x", "é": "\u{2028}\n"]
        let digest = AuditChain.detailsDigest(details)
        #expect(digest == "d269b4e5b62fda78bb8a95987f0eb686413f3c29d11f137eba424867d47d0bbd")
        let record = AuditRecord(
            workspaceID: UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!, seq: 7,
            id: UUID(uuidString: "00000000-0000-0000-0000-0000000000BB")!, occurredAtMicros: 1_790_000_000_000_007,
            actorType: "admin", actorID: "root", action: "thing.made", resourceType: "thing", resourceID: nil,
            sourceIP: "10.0.0.1", correlationID: nil, details: details, detailsDigest: "", prevHash: "", rowHash: "")
        let sealed = AuditChain.seal(record, after: nil)
        #expect(sealed.detailsDigest == digest)
        #expect(sealed.rowHash == "f565a57c54d303ca7a5903764622aed7605cb25f3600b8a6ba949b369607e466")
    }

    @Test func subjectFingerprint() {
        let salt = Array("per-run-salt".utf8)
        let subject = DataSubject(userID: "u-1", email: "Alice@Example.com", custom: ["b": "2", "a": "1"])
        #expect(SubjectFingerprint.make(subject: subject, salt: salt)
            == "hmac-sha256:1d3a7fa1b0a8a1445659f1f2b16c2e9a6d4bc2f4cf0f1697a9c8484a87de4860")
    }

    @Test func erasureCertificateDocumentAndChecksum() {
        let certificate = ErasureCertificate(
            reportID: UUID(uuidString: "00000000-0000-0000-0000-0000000000CC")!,
            workspaceID: UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!,
            subjectFingerprint: SubjectFingerprint.make(subject: DataSubject(email: "alice@example.com"),
                                                        salt: Array("per-run-salt".utf8)),
            tables: [
                .init(table: "metric_points", found: 12, deleted: 12, pseudonymised: 0, remaining: 0),
                .init(table: "audit_log", found: 3, deleted: 0, pseudonymised: 3, remaining: 0,
                      note: "1 row keeps source_ip (hash-covered)"),
            ],
            erasedAt: Date(timeIntervalSince1970: 1_800_000_000.5),
            auditChainIntact: true)
        #expect(certificate.checksum == "3985c6c5992761ab415cf8cc84d8fe7021401873f20c4284e121f75f9fc7761f")
        #expect(String(decoding: certificate.bytes, as: UTF8.self) == #"""
            {"audit_chain_intact":true,"checksum":"3985c6c5992761ab415cf8cc84d8fe7021401873f20c4284e121f75f9fc7761f",\#
            "erased_at":"2027-01-15T08:00:00Z","format_version":1,"kind":"subject_erasure",\#
            "report_id":"00000000-0000-0000-0000-0000000000cc",\#
            "subject_fingerprint":"hmac-sha256:b838f9958a60bd264dce13858cbcb60c3a36d37593fa37b8935a443ce495b87d",\#
            "tables":[{"deleted":0,"found":3,"note":"1 row keeps source_ip (hash-covered)","pseudonymised":3,\#
            "remaining":0,"table":"audit_log"},{"deleted":12,"found":12,"pseudonymised":0,"remaining":0,\#
            "table":"metric_points"}],"totals":{"found":15,"remaining":0},\#
            "workspace_id":"00000000-0000-0000-0000-00000000000a"}
            """#)
    }

    /// Notification payloads (their SHA-256 is kept in the delivery ledger) sort keys by UTF-8
    /// bytes, unlike RFC 8785's UTF-16 order: U+FB01 (EF AC 81) before U+1F600 (F0 9F 98 80).
    @Test func notificationJSONKeyOrderAndEscapes() {
        let value = CanonicalJSON.object(["\u{FB01}": .int(1), "😀": .int(2), "a": .number(0.5), "b": .string("\u{2029}\u{7F}")])
        #expect(String(decoding: value.notificationBytes, as: UTF8.self) == #"{"a":0.5,"b":"\u2029\#u{7F}","ﬁ":1,"😀":2}"#)
    }
}
