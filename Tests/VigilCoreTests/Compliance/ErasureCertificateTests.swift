import Crypto
import Foundation
import Testing
@testable import VigilCore

struct ErasureCertificateTests {
    static let salt = Array("per-run-salt".utf8)

    static func certificate(remaining: Int = 0) -> ErasureCertificate {
        ErasureCertificate(
            reportID: UUID(uuidString: "00000000-0000-0000-0000-0000000000CC")!,
            workspaceID: UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!,
            subjectFingerprint: SubjectFingerprint.make(subject: DataSubject(email: "alice@example.com"), salt: salt),
            tables: [
                .init(table: "metric_points", found: 12, deleted: 12, pseudonymised: 0, remaining: remaining),
                .init(table: "audit_log", found: 3, deleted: 0, pseudonymised: 3, remaining: 0,
                      note: "1 row keeps source_ip (hash-covered)"),
            ],
            erasedAt: Date(timeIntervalSince1970: 1_800_000_000.5),
            auditChainIntact: true)
    }

    @Test func checksumIsSHA256OfTheDocumentWithoutIt() {
        let certificate = Self.certificate()
        let expected = SHA256.hash(data: certificate.canonicalJSON(includingChecksum: false).bytes)
            .map { String(format: "%02x", $0) }.joined()
        #expect(certificate.checksum == expected)
        #expect(certificate.verify())
        #expect(certificate.isComplete)
        #expect(certificate.tables.map(\.table) == ["audit_log", "metric_points"])
        let text = String(decoding: certificate.bytes, as: UTF8.self)
        #expect(text.contains(#""erased_at":"2027-01-15T08:00:00Z""#))
        #expect(!text.contains("alice"))
    }

    @Test func aDownloadedCertificateVerifiesAndParsesBack() throws {
        let certificate = Self.certificate()
        #expect(ErasureCertificate.verifyDocument(certificate.bytes))
        #expect(try ErasureCertificate.parse(certificate.bytes) == certificate)
    }

    // Edits to a certificate document that verification must catch.
    static let documentTamperings: [(String, String, String)] = [
        ("count changed", #""deleted":12"#, #""deleted":11"#),
        ("remaining hidden", #""remaining":0,"table":"audit_log""#, #""remaining":1,"table":"audit_log""#),
        ("field added", #"{"audit_chain_intact""#, #"{"approved_by":"x","audit_chain_intact""#),
        ("time moved", "2027-01-15T08:00:00Z", "2027-01-14T08:00:00Z"),
        ("fingerprint swapped", "hmac-sha256:", "hmac-sha256:0"),
    ]

    @Test(arguments: documentTamperings.indices)
    func tamperedDocumentsFail(index: Int) {
        let (_, find, replacement) = Self.documentTamperings[index]
        let original = String(decoding: Self.certificate().bytes, as: UTF8.self)
        #expect(original.contains(find))
        let tampered = original.replacingOccurrences(of: find, with: replacement)
        #expect(!ErasureCertificate.verifyDocument(Array(tampered.utf8)))
    }

    @Test func editedValuesFailVerification() {
        var certificate = Self.certificate()
        certificate.tables[0].found = 99
        #expect(!certificate.verify())
        var inconsistent = ErasureCertificate(reportID: UUID(), workspaceID: UUID(), subjectFingerprint: "f",
                                              tables: [.init(table: "t", found: 1, deleted: 2, pseudonymised: 0, remaining: 0)],
                                              erasedAt: Date(), auditChainIntact: true)
        #expect(!inconsistent.verify(), "more deleted than found")
        inconsistent.auditChainIntact = false
        #expect(!inconsistent.isComplete)
        #expect(!ErasureCertificate.verifyDocument(Array("not json".utf8)))
    }

    @Test func incompleteErasureIsVisible() {
        let certificate = Self.certificate(remaining: 2)
        #expect(certificate.verify())
        #expect(!certificate.isComplete)
        #expect(certificate.totalRemaining == 2 && certificate.totalFound == 15)
    }

    static let pseudonymCases: [(String, String)] = [("alice@example.com", "salt-a"), ("10.0.0.1", "salt-a"), ("", "salt-b")]

    @Test(arguments: pseudonymCases.indices)
    func erasurePseudonyms(index: Int) {
        let (value, salt) = Self.pseudonymCases[index]
        let pseudonym = ErasurePseudonym.replace(value: value, salt: Array(salt.utf8))
        #expect(pseudonym.hasPrefix("erased:sha256:") && pseudonym.count == "erased:sha256:".count + 12)
        #expect(ErasurePseudonym.isPseudonym(pseudonym))
        #expect(pseudonym == ErasurePseudonym.replace(value: value, salt: Array(salt.utf8)), "deterministic")
        #expect(pseudonym != ErasurePseudonym.replace(value: value, salt: Array("other".utf8)), "salted")
        #expect(!SubjectSearchTerms.make(subject: DataSubject(userID: "sha256"), pseudonymKey: nil, redactionPolicy: .default)
            .matches(text: pseudonym), "never matches a search term again")
    }
}
