import Foundation
import Testing
import VigilCore

struct PIIRedactorPolicyTests {
    @Test func onByDefaultInMaskMode() {
        let policy = RedactionPolicy()
        #expect(policy.enabled)
        #expect(policy.mode == .mask)
        #expect(policy.allowedTagKeys.isEmpty)
        #expect(PIIRedactor().redactValue("alice@example.com") == "[EMAIL]")
    }

    @Test func disabledPolicyPassesEverythingThrough() {
        let redactor = PIIRedactor(policy: RedactionPolicy(enabled: false))
        let tags = ["user": "alice@example.com", "bob@example.com": "1", "password": "hunter2"]
        #expect(redactor.redactValue("alice@example.com 10.0.0.1") == "alice@example.com 10.0.0.1")
        #expect(redactor.redactValue("hunter2", tagKey: "password") == "hunter2")
        #expect(redactor.redactTags(tags) == tags)
    }

    @Test func allowListedKeysKeepTheirValuesVerbatim() {
        let redactor = PIIRedactor(policy: RedactionPolicy(allowedTagKeys: ["host", "peer.ip"]))
        #expect(redactor.redactValue("10.0.0.1", tagKey: "host") == "10.0.0.1")
        #expect(redactor.redactValue("10.0.0.1", tagKey: "client") == "[IP]")
        #expect(redactor.redactValue("10.0.0.1", tagKey: "Host") == "[IP]", "the allow-list is case-sensitive")
        #expect(redactor.redactValue("10.0.0.1") == "[IP]")
        let tags = ["host": "10.0.0.1", "peer.ip": "10.0.0.2", "client_ip": "10.0.0.3", "route": "/users/7"]
        #expect(redactor.redactTags(tags) == ["host": "10.0.0.1", "peer.ip": "10.0.0.2", "client_ip": "[IP]",
                                              "route": "/users/[ID]"])
    }

    @Test func tagKeysAreRedactedToo() {
        let redactor = PIIRedactor()
        #expect(redactor.redactTags(["alice@example.com": "1", "region": "eu"]) == ["[EMAIL]": "1", "region": "eu"])
        #expect(redactor.redactTags(["user.10.0.0.1.hits": "3"]) == ["user.10.0.0.1.hits": "3"],
                "a dotted quad inside a dotted name is not an address")
        #expect(redactor.redactTags(["calls /users/42": "3"]) == ["calls /users/[ID]": "3"])
    }

    @Test func collidingRedactedKeysKeepTheFirstKeyInSortOrder() {
        let redactor = PIIRedactor()
        let tags = ["b@example.com": "second", "a@example.com": "first", "env": "prod"]
        #expect(redactor.redactTags(tags) == ["[EMAIL]": "first", "env": "prod"])
    }

    @Test(arguments: [("password", "hunter2"), ("api_key", "abc"), ("X-Auth-Token", "t0k"), ("accessToken", "x"),
                      ("client_secret", "s"), ("Authorization", "Bearer abc"), ("db.password", "pw"),
                      ("session_id", "42"), ("set-cookie", "a=b")])
    func credentialNamedTagKeysMaskTheWholeValue(key: String, value: String) {
        #expect(PIIRedactor().redactValue(value, tagKey: key) == "[SECRET]")
        #expect(PIIRedactor().redactTags([key: value]) == [key: "[SECRET]"])
    }

    @Test(arguments: ["token_count", "max_tokens", "cache_key", "partition_key", "password_policy", "tokenizer",
                      "keyboard", "secretary", "auth_method"])
    func ordinaryTagKeysAreNotCredentials(key: String) {
        #expect(PIIRedactor().redactValue("42", tagKey: key) == "42")
    }

    @Test func emptyAndWhitespaceValues() {
        let redactor = PIIRedactor()
        #expect(redactor.redactValue("") == "")
        #expect(redactor.redactValue("   ") == "   ")
        #expect(redactor.redactValue("", tagKey: "password") == "")
        #expect(redactor.redactTags([:]) == [:])
    }

    @Test func policyCodableRoundTripAndDefaults() throws {
        let policy = RedactionPolicy(enabled: true, mode: .pseudonymize, allowedTagKeys: ["region", "host"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(policy), as: UTF8.self)
        #expect(json == #"{"allowed_tag_keys":["host","region"],"enabled":true,"mode":"pseudonymize"}"#)
        #expect(try JSONDecoder().decode(RedactionPolicy.self, from: Data(json.utf8)) == policy)
        #expect(try JSONDecoder().decode(RedactionPolicy.self, from: Data("{}".utf8)) == RedactionPolicy())
        #expect(try JSONDecoder().decode(RedactionPolicy.self, from: Data(#"{"enabled":false}"#.utf8))
            == RedactionPolicy(enabled: false))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(RedactionPolicy.self, from: Data(#"{"mode":"shred"}"#.utf8))
        }
    }

    @Test func placeholdersAndLabels() {
        #expect(PIICategory.allCases.map(\.placeholder)
            == ["[EMAIL]", "[IP]", "[CARD]", "[SSN]", "[PHONE]", "[SECRET]", "[ID]"])
        #expect(PIICategory.allCases.filter(\.isPseudonymizable) == [.email, .ip, .card, .ssn, .phone])
    }

    @Test func longAdversarialValuesComplete() {
        // Linear scanning: these finish quickly (timings are checked by hand, not asserted here).
        let units = ["a@", "1 ", "1.", "a:", "::", "4111-", "password=", "/1", "'a@b.com' ", "+1 ", "(555) ",
                     "eyJhbGciOiJI.", "Bearer ", "ip-1-", "://a:b@"]
        let redactor = PIIRedactor()
        for unit in units {
            let value = String(repeating: unit, count: 10_000 / unit.count)
            let redacted = redactor.redactValue(value)
            #expect(!redacted.isEmpty)
            #expect(redactor.redactValue("SELECT * FROM t WHERE a = " + value).count > 0)
        }
    }
}

struct PIIRedactorPseudonymTests {
    let key = Array("workspace-one-secret-key-32bytes".utf8)
    let otherKey = Array("workspace-two-secret-key-32bytes".utf8)

    func redactor(key: [UInt8]? = nil) -> PIIRedactor {
        PIIRedactor(policy: RedactionPolicy(mode: .pseudonymize), pseudonymKey: key ?? self.key)
    }

    static func isToken(_ text: String, label: String) -> Bool {
        let prefix = "[\(label):"
        guard text.hasPrefix(prefix), text.hasSuffix("]") else { return false }
        let hex = text.dropFirst(prefix.count).dropLast()
        return hex.count == 12 && hex.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    @Test func emailBecomesAKeyedToken() {
        let token = redactor().redactValue("alice@example.com")
        #expect(Self.isToken(token, label: "EMAIL"), "\(token)")
        #expect(token == PIIRedactor.token(for: "alice@example.com", category: .email, key: key))
    }

    @Test func sameEmailInAnotherCaseGivesTheSameToken() {
        let r = redactor()
        #expect(r.redactValue("Alice@Example.COM") == r.redactValue("alice@example.com"))
        #expect(r.redactValue("user ALICE@EXAMPLE.COM") == "user " + r.redactValue("alice@example.com"))
    }

    @Test func differentEmailsGiveDifferentTokens() {
        let r = redactor()
        #expect(r.redactValue("alice@example.com") != r.redactValue("bob@example.com"))
        #expect(r.redactValue("alice@example.com") != r.redactValue("alice@example.org"))
    }

    @Test func differentWorkspaceKeysGiveDifferentTokens() {
        #expect(redactor().redactValue("alice@example.com") != redactor(key: otherKey).redactValue("alice@example.com"))
    }

    @Test func aDataSubjectRequestFindsTheTokenFromAnyForm() {
        let r = redactor()
        let stored = r.redactValue("login by Alice@Example.com from 10.0.0.1")
        let emailToken = PIIRedactor.token(for: " alice@example.com ", category: .email, key: key)
        let ipToken = PIIRedactor.token(for: "10.0.0.1", category: .ip, key: key)
        #expect(stored == "login by \(emailToken) from \(ipToken)")
    }

    @Test(arguments: [("(555) 123-4567", "+1 555 123 4567"), ("555.123.4567", "1-555-123-4567"),
                      ("4111 1111 1111 1111", "4111-1111-1111-1111"), ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
                      ("010.000.000.001", "10.0.0.1")])
    func formsOfOneValueShareAToken(first: String, second: String) {
        let r = redactor()
        let a = r.redactValue(first), b = r.redactValue(second)
        #expect(a == b)
        #expect(a != first)
    }

    @Test func dashedHostNameAddressesShareTheDottedToken() {
        let token = PIIRedactor.token(for: "10.0.0.1", category: .ip, key: key)
        #expect(redactor().redactValue("ip-10-0-0-1.ec2.internal") == "ip-\(token).ec2.internal")
    }

    @Test func categoriesAreKeptApart() {
        // The category is part of the HMAC input: equal digits are different pseudonyms as a card and a phone.
        #expect(PIIRedactor.token(for: "4111111111111111", category: .card, key: key)
            != PIIRedactor.token(for: "4111111111111111", category: .phone, key: key))
        #expect(Self.isToken(redactor().redactValue("4111111111111111"), label: "CARD"))
        #expect(Self.isToken(redactor().redactValue("123-45-6789"), label: "SSN"))
        #expect(Self.isToken(redactor().redactValue("+44 20 7946 0958"), label: "PHONE"))
        #expect(Self.isToken(redactor().redactValue("fe80::1"), label: "IP"))
    }

    @Test func secretsIdsAndSQLLiteralsStayMasked() {
        let r = redactor()
        #expect(r.redactValue("/api/users/42/profile") == "/api/users/[ID]/profile")
        #expect(r.redactValue("password=hunter2") == "password=[SECRET]")
        #expect(r.redactValue("AKIAIOSFODNN7EXAMPLE") == "[SECRET]")
        let email = PIIRedactor.token(for: "a@b.com", category: .email, key: key)
        #expect(r.redactValue("SELECT * FROM u WHERE email = 'A@B.com' AND name = 'x' AND n = 3")
            == "SELECT * FROM u WHERE email = '\(email)' AND name = '[REDACTED]' AND n = ?")
    }

    @Test func withoutAKeyPseudonymizeFallsBackToMasking() {
        for key in [nil, [UInt8]()] as [[UInt8]?] {
            let r = PIIRedactor(policy: RedactionPolicy(mode: .pseudonymize), pseudonymKey: key)
            #expect(r.effectiveMode == .mask)
            #expect(r.redactValue("alice@example.com") == "[EMAIL]")
        }
        #expect(redactor().effectiveMode == .pseudonymize)
        #expect(PIIRedactor(policy: RedactionPolicy(mode: .mask), pseudonymKey: key).redactValue("a@b.com") == "[EMAIL]")
    }

    @Test func descriptionNeverShowsTheKey() {
        let r = redactor()
        for text in [String(describing: r), String(reflecting: r), { var s = ""; dump(r, to: &s); return s }()] {
            #expect(!text.contains("workspace-one"))
            #expect(!text.contains("119, 111, 114"))  // the key's bytes
        }
    }

    @Test func concurrentUseAgreesWithSerialUse() async {
        let r = redactor()
        let values = (0..<64).map { "user\($0)@example.com from 10.0.\($0).1" }
        let expected = values.map { r.redactValue($0) }
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask { values.map { r.redactValue($0) } == expected }
            }
            for await agreed in group { #expect(agreed) }
        }
        #expect(Set(expected).count == values.count)
    }

    @Test func pseudonymizedTagKeys() {
        let r = redactor()
        let token = PIIRedactor.token(for: "alice@example.com", category: .email, key: key)
        #expect(r.redactTags(["Alice@example.com": "3"]) == [token: "3"])
    }
}
