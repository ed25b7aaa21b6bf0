import Testing
@testable import VigilCore

struct SubjectSearchTermsTests {
    static let key = Array("workspace-one-pseudonym-key-0001".utf8)
    static let otherKey = Array("workspace-two-pseudonym-key-0002".utf8)
    static let pseudonymize = RedactionPolicy(enabled: true, mode: .pseudonymize)

    static func terms(_ subject: DataSubject, key: [UInt8]? = SubjectSearchTermsTests.key,
                      policy: RedactionPolicy = SubjectSearchTermsTests.pseudonymize) -> SubjectSearchTerms {
        SubjectSearchTerms.make(subject: subject, pseudonymKey: key, redactionPolicy: policy)
    }

    // The real redactor stores a tag; the computed terms must find exactly what it stored.
    // (subject, tags as sent at ingest)
    static let ingested: [(DataSubject, [String: String])] = [
        (DataSubject(email: "alice@example.com"), ["user": "alice@example.com", "route": "/login"]),
        (DataSubject(email: "Alice@Example.COM"), ["msg": "reset sent to alice@example.com today"]),
        (DataSubject(ip: "10.1.2.3"), ["client": "10.1.2.3"]),
        (DataSubject(ip: "10.1.2.3"), ["host": "ip-10-1-2-3.ec2.internal"]),
        (DataSubject(ip: "2001:db8::7"), ["peer": "[2001:DB8:0:0::7]:443"]),
        (DataSubject(userID: "bob@example.org"), ["owner": "bob@example.org"]),
        (DataSubject(custom: ["customer": "carol@example.net"]), ["customer": "carol@example.net"]),
        (DataSubject(email: "alice@example.com"), ["alice@example.com": "1"]),
    ]

    @Test(arguments: ingested.indices)
    func findsWhatThePseudonymisingRedactorStored(index: Int) {
        let (subject, tags) = Self.ingested[index]
        let stored = PIIRedactor(policy: Self.pseudonymize, pseudonymKey: Self.key).redactTags(tags)
        #expect(stored != tags, "the redactor changed something")
        let terms = Self.terms(subject)
        #expect(terms.matches(tags: stored))
        let storedText = stored.map { $0.key + " " + $0.value }.joined(separator: " ")
        #expect(terms.terms.contains { $0.kind == .pseudonym && storedText.contains($0.value) },
                "a computed token appears verbatim in the redacted output: \(storedText)")
        // The other workspace's key gives other tokens: its data is not found with ours.
        let storedElsewhere = PIIRedactor(policy: Self.pseudonymize, pseudonymKey: Self.otherKey).redactTags(tags)
        #expect(!terms.matches(tags: storedElsewhere))
    }

    @Test func tokensMatchTheRedactorsPublicTokenFunction() {
        let terms = Self.terms(DataSubject(email: "Alice@Example.com", ip: "10.0.0.1"))
        let tokens = Set(terms.terms.filter { $0.kind == .pseudonym }.map(\.value))
        #expect(tokens == [PIIRedactor.token(for: "alice@example.com", category: .email, key: Self.key),
                           PIIRedactor.token(for: "10.0.0.1", category: .ip, key: Self.key)])
    }

    @Test func customPairsIncludeTheStoredForm() {
        let terms = Self.terms(DataSubject(custom: ["customer": "carol@example.net", "tenant": "acme"]))
        let stored = PIIRedactor(policy: Self.pseudonymize, pseudonymKey: Self.key).redactTags(["customer": "carol@example.net"])
        let pairs: Set<[String]> = Set(terms.tagPairs.map { [$0.key, $0.value] })
        let expected: Set<[String]> = [["customer", "carol@example.net"], ["customer", stored["customer"] ?? "?"], ["tenant", "acme"]]
        #expect(pairs == expected)
        #expect(stored["customer"]?.hasPrefix("[EMAIL:") == true)
        #expect(terms.tagPairs.first { $0.key == "tenant" }?.containmentJSON == #"{"tenant":"acme"}"#)
        #expect(terms.matches(tags: ["tenant": "acme", "x": "y"]))
        #expect(!terms.matches(tags: ["tenant": "acme-corp"]))
    }

    @Test func allowListedKeysAreFoundRaw() {
        let policy = RedactionPolicy(enabled: true, mode: .pseudonymize, allowedTagKeys: ["customer"])
        let stored = PIIRedactor(policy: policy, pseudonymKey: Self.key).redactTags(["customer": "carol@example.net"])
        #expect(stored == ["customer": "carol@example.net"])
        #expect(Self.terms(DataSubject(custom: ["customer": "carol@example.net"]), policy: policy).matches(tags: stored))
    }

    @Test func withoutAKeyOnlyRawTermsAndANote() {
        let terms = Self.terms(DataSubject(email: "alice@example.com"), key: nil)
        #expect(terms.terms.allSatisfy { $0.kind != .pseudonym })
        #expect(terms.notes.contains { $0.contains("no pseudonym key") })
        #expect(Self.terms(DataSubject(email: "alice@example.com"), key: []).terms.allSatisfy { $0.kind != .pseudonym })
        let masked = Self.terms(DataSubject(email: "alice@example.com"), key: nil, policy: RedactionPolicy())
        #expect(masked.notes.contains { $0.contains("masked") })
        #expect(!masked.matches(text: "user [EMAIL] logged in"), "masked placeholders are nobody's")
    }

    @Test func rawAndNormalisedForms() {
        let terms = Self.terms(DataSubject(email: "Alice@Example.com", ip: "2001:DB8:0:0::1"), key: nil)
        #expect(Set(terms.values) == ["Alice@Example.com", "alice@example.com", "2001:DB8:0:0::1", "2001:db8::1"])
    }

    // (subject, text, expected match)
    static let matching: [(DataSubject, String, Bool)] = [
        (DataSubject(email: "alice@example.com"), "login alice@example.com ok", true),
        (DataSubject(email: "alice@example.com"), "ALICE@EXAMPLE.COM", true),
        (DataSubject(email: "alice@example.com"), "<alice@example.com>", true),
        (DataSubject(email: "alice@example.com"), "mailto:alice@example.com.", true),
        (DataSubject(email: "alice@example.com"), "malice@example.com", false),
        (DataSubject(email: "alice@example.com"), "bob.alice@example.com", false),
        (DataSubject(email: "alice@example.com"), "x+alice@example.com", false),
        (DataSubject(email: "alice@example.com"), "alice@example.com.evil.org", false),
        (DataSubject(email: "alice@example.com"), "alice@example.community", false),
        (DataSubject(ip: "10.0.0.1"), "from 10.0.0.1:443", true),
        (DataSubject(ip: "10.0.0.1"), "10.0.0.1.", true),
        (DataSubject(ip: "10.0.0.1"), "net 10.0.0.1/32", true),
        (DataSubject(ip: "10.0.0.1"), "10.0.0.12", false),
        (DataSubject(ip: "10.0.0.1"), "110.0.0.1", false),
        (DataSubject(ip: "10.0.0.1"), "10.0.0.1.5", false),
        (DataSubject(ip: "2001:db8::1"), "[2001:DB8::1]:443", true),
        (DataSubject(ip: "2001:db8::1"), "2001:db8::10", false),
        (DataSubject(ip: "2001:db8::1"), "2001:db8::1:5", false),
        (DataSubject(ip: "::1"), "fe80::1", false),
        (DataSubject(userID: "42"), "/users/42/profile", true),
        (DataSubject(userID: "42"), "id=42&page=2", true),
        (DataSubject(userID: "42"), "42", true),
        (DataSubject(userID: "42"), "order 1423", false),
        (DataSubject(userID: "42"), "user-42", false),
        (DataSubject(userID: "42"), "u_42", false),
        (DataSubject(userID: "Bob"), "bob", false),
        (DataSubject(custom: ["tenant": "acme"]), "acme", false),
        (DataSubject(userID: "EMAIL"), "user [EMAIL] and [EMAIL:0a1b2c3d4e5f]", false),
        (DataSubject(userID: "EMAIL"), "EMAIL: x", true),
        (DataSubject(userID: "sha256"), "was erased:sha256:0a1b2c3d4e5f", false),
        (DataSubject(userID: "0a1b2c3d4e5f"), "erased:sha256:0a1b2c3d4e5f", false),
        (DataSubject(userID: "REDACTED"), "WHERE name = '[REDACTED]'", false),
    ]

    @Test(arguments: matching.indices)
    func wordBoundedMatching(index: Int) {
        let (subject, text, expected) = Self.matching[index]
        #expect(Self.terms(subject, key: nil).matches(text: text) == expected)
    }

    @Test func pseudonymTokensMatchAnywhere() {
        let terms = Self.terms(DataSubject(email: "alice@example.com"))
        let token = PIIRedactor.token(for: "alice@example.com", category: .email, key: Self.key)
        #expect(terms.matches(text: "x\(token)y"))
        #expect(!terms.matches(text: token.lowercased()))
    }

    @Test func occurrencesAreOrderedAndNonOverlapping() {
        let terms = Self.terms(DataSubject(email: "alice@example.com", ip: "10.0.0.1"), key: nil)
        let text = "alice@example.com from 10.0.0.1 and ALICE@example.com"
        let found = terms.occurrences(in: text)
        #expect(found.map(\.range) == [0..<17, 23..<31, 36..<53])
        #expect(found.map(\.term.field) == ["email", "ip", "email"])
    }

    static let likePatterns: [(String, String)] = [
        ("alice@example.com", "%alice@example.com%"),
        ("first_last@x.com", #"%first\_last@x.com%"#),
        (#"50%\off"#, #"%50\%\\off%"#),
    ]

    @Test(arguments: likePatterns.indices)
    func likePatternsEscapeWildcards(index: Int) {
        let (value, expected) = Self.likePatterns[index]
        #expect(SubjectSearchTerms.likePattern(value) == expected)
    }
}
