import Testing
import VigilCore

/// The memo is an optimisation only: it must give exactly what `redactTags` gives.
struct PIITagMemoTests {
    static let tagSets: [[String: String]] = [
        [:],
        ["endpoint": "/api/users/12345/profile", "status": "200", "host": "web-1"],
        ["user": "alice@example.com", "ip": "10.0.0.1", "card": "4111 1111 1111 1111"],
        ["password": "hunter2", "api_key": "sk_live_abcdefghijklmnop", "note": "call 555-867-5309"],
        ["alice@example.com": "x", "bob@example.com": "y"],          // names collide once redacted
        ["query": "SELECT * FROM users WHERE email = 'alice@example.com'", "kept": "alice@example.com"],
        ["endpoint": "/api/users/12345/profile", "status": "200", "host": "web-1"],   // repeated set
    ]

    @Test(arguments: [RedactionPolicy(), RedactionPolicy(allowedTagKeys: ["kept"]), RedactionPolicy(enabled: false)])
    func equalsRedactTags(policy: RedactionPolicy) {
        let redactor = PIIRedactor(policy: policy)
        var memo = PIITagMemo(redactor: redactor)
        for tags in Self.tagSets + Self.tagSets {
            #expect(memo.redact(MetricTag.sorted(tags)) == MetricTag.sorted(redactor.redactTags(tags)), "\(tags)")
        }
    }
}
