import Foundation
import Testing
@testable import VigilCore

struct DataSubjectTests {
    // (subject, field of the expected failure or nil when valid)
    static let cases: [(DataSubject, String?)] = [
        (DataSubject(), "subject"),
        (DataSubject(custom: ["tenant": "acme"]), nil),
        (DataSubject(userID: "u-123"), nil),
        (DataSubject(userID: ""), "subject.user_id"),
        (DataSubject(userID: String(repeating: "x", count: 257)), "subject.user_id"),
        (DataSubject(userID: "a\u{7}b"), "subject.user_id"),
        (DataSubject(email: "alice@example.com"), nil),
        (DataSubject(email: "Alice.Smith+tag@Example.CO.uk"), nil),
        (DataSubject(email: "jürgen@bücher.de"), nil),
        (DataSubject(email: "alice"), "subject.email"),
        (DataSubject(email: "a@b"), "subject.email"),
        (DataSubject(email: "@example.com"), "subject.email"),
        (DataSubject(email: "alice@@example.com"), "subject.email"),
        (DataSubject(email: "al ice@example.com"), "subject.email"),
        (DataSubject(email: "alice@-x.com"), "subject.email"),
        (DataSubject(email: "alice@example..com"), "subject.email"),
        (DataSubject(email: String(repeating: "a", count: 65) + "@example.com"), "subject.email"),
        (DataSubject(ip: "10.0.0.1"), nil),
        (DataSubject(ip: "2001:DB8::1"), nil),
        (DataSubject(ip: "::ffff:10.0.0.1"), nil),
        (DataSubject(ip: "300.1.1.1"), "subject.ip"),
        (DataSubject(ip: "10.0.0"), "subject.ip"),
        (DataSubject(ip: "example.com"), "subject.ip"),
        (DataSubject(custom: ["bad key": "x"]), "subject.custom"),
        (DataSubject(custom: ["tenant": ""]), "subject.custom.tenant"),
        (DataSubject(custom: Dictionary(uniqueKeysWithValues: (0..<17).map { ("k\($0)", "v") })), "subject.custom"),
    ]

    @Test(arguments: cases.indices)
    func validation(index: Int) {
        let (subject, field) = Self.cases[index]
        #expect(subject.validate()?.field == field)
    }

    @Test func trimmingDropsBlankIdentifiers() {
        let subject = DataSubject(userID: "   ", email: " alice@example.com\n", ip: nil).trimmed
        #expect(subject.userID == nil)
        #expect(subject.email == "alice@example.com")
        #expect(subject.validate() == nil)
        #expect(DataSubject(userID: " ").trimmed.validate()?.field == "subject")
    }

    @Test func decodesTheRequestShape() throws {
        let json = #"{"user_id": "u1", "email": "a@example.com", "custom": {"tenant": "acme"}}"#
        let subject = try JSONDecoder().decode(DataSubject.self, from: Data(json.utf8))
        #expect(subject == DataSubject(userID: "u1", email: "a@example.com", custom: ["tenant": "acme"]))
        let bare = try JSONDecoder().decode(DataSubject.self, from: Data(#"{"ip": "10.0.0.1"}"#.utf8))
        #expect(bare.custom.isEmpty)
    }

    @Test func fingerprintIsSaltedAndSpellingIndependent() {
        let salt = Array("salt-one".utf8)
        let a = SubjectFingerprint.make(subject: DataSubject(email: "Alice@Example.com", ip: "2001:DB8:0:0::1"), salt: salt)
        let b = SubjectFingerprint.make(subject: DataSubject(email: " alice@example.com", ip: "2001:db8::1"), salt: salt)
        #expect(a == b)
        #expect(a.hasPrefix("hmac-sha256:") && a.count == "hmac-sha256:".count + 64)
        #expect(a != SubjectFingerprint.make(subject: DataSubject(email: "alice@example.com", ip: "2001:db8::1"), salt: Array("salt-two".utf8)))
        #expect(!a.contains("alice"))
        // Field names are part of the hash: the same text as a user id is a different subject.
        #expect(SubjectFingerprint.make(subject: DataSubject(userID: "x"), salt: salt)
            != SubjectFingerprint.make(subject: DataSubject(custom: ["user_id": "x"]), salt: salt))
    }
}
