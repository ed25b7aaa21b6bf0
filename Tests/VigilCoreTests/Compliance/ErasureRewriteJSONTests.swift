import Foundation
import Testing
import VigilCore

/// Erasure inside JSON documents rewrites strings only: the result always parses, and numbers,
/// keys that do not mention the subject, timestamps and layout are kept.
struct ErasureRewriteJSONTests {
    static let salt = Array("json-run-salt".utf8)
    static let terms = SubjectSearchTerms.make(subject: DataSubject(userID: "42", email: "alice@example.com"),
                                               pseudonymKey: nil, redactionPolicy: RedactionPolicy(enabled: false))
    static var emailPseudonym: String { ErasurePseudonym.replace(value: "email:alice@example.com", salt: salt) }
    static var userPseudonym: String { ErasurePseudonym.replace(value: "user_id:42", salt: salt) }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var document: String
        var expected: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a value mentioning the subject; the numbers stay numbers",
             document: #"{"matchers": [{"name": "customer", "value": "alice@example.com"}], "threshold": 42, "window_minutes": 42}"#,
             expected: #"{"matchers": [{"name": "customer", "value": "\#(emailPseudonym)"}], "threshold": 42, "window_minutes": 42}"#),
        Case(name: "a user id as a whole string and inside text",
             document: #"{"user": "42", "note": "call 42 back", "n": [42, "42"]}"#,
             expected: #"{"user": "\#(userPseudonym)", "note": "call \#(userPseudonym) back", "n": [42, "\#(userPseudonym)"]}"#),
        Case(name: "keys are strings too",
             document: #"{"alice@example.com": true}"#,
             expected: #"{"\#(emailPseudonym)": true}"#),
        Case(name: "escaped strings are decoded before matching and re-encoded after",
             document: #"{"comment": "said \"hi\" to alice@example.com\n", "path": "a\/b"}"#,
             expected: #"{"comment": "said \"hi\" to \#(emailPseudonym)\n", "path": "a\/b"}"#),
        Case(name: "a timestamp is a typed value, not text",
             document: #"{"starts_at": "2026-12-04T12:42:07Z", "ends_at": "2099-01-01T00:42:00Z"}"#,
             expected: nil),
        Case(name: "nothing about the subject: unchanged",
             document: #"{"name": "malice@example.com", "id": 421, "user": "user-42"}"#,
             expected: nil),
        Case(name: "not JSON at all is left alone",
             document: #"{"unterminated": "alice@example.com"#,
             expected: nil),
    ]

    @Test(arguments: cases)
    func rewritesStringsOnly(_ c: Case) throws {
        let rewritten = ErasureRewrite.json(c.document, terms: Self.terms, salt: Self.salt)
        #expect(rewritten == c.expected)
        #expect(ErasureRewrite.jsonMentions(c.document, terms: Self.terms) == (c.expected != nil))
        if let rewritten {
            _ = try JSONSerialization.jsonObject(with: Data(rewritten.utf8))
            #expect(!ErasureRewrite.jsonMentions(rewritten, terms: Self.terms), "a second pass finds nothing")
        }
    }
}
