import Testing
@testable import VigilCore

/// Client dedup keys cannot reach into Vigil's namespaces (issue: an ingest key could swallow
/// or close real pages by reusing an internal or derived fingerprint).
struct ClientDedupKeyTests {
    static let derived = AlertFingerprint.derived(source: "api", title: "High CPU", labels: ["env": "prod"])

    @Test(arguments: [
        ("deploy-42", true),
        ("checkout:latency", true),
        ("SLOW:thing", true),
        ("slo:6f1c:burn", false),
        ("SLO:6f1c:burn", false),
        ("alertmanager:0123abcd", false),
        ("Alertmanager:x", false),
        ("rule:1:group", false),
        ("anomaly:x", false),
        ("security:ip", false),
        ("vigil:anything", false),
        (derived, false),
        (derived.uppercased(), true),
        (String(derived.dropLast()), true),
        ("", false),
        (String(repeating: "k", count: 256), false),
        (String(repeating: "k", count: 255), true),
    ])
    func clientKeys(key: String, accepted: Bool) {
        let result = Result { () throws(ValidationFailure) in try AlertFingerprint.validateClientDedupKey(key) }
        if accepted {
            #expect(throws: Never.self) { try result.get() }
        } else {
            let failure = #expect(throws: ValidationFailure.self) { try result.get() }
            #expect(failure?.field == "dedup_key")
        }
    }

    @Test func internalKeysStillPassTheBasicCheck() throws {
        try AlertFingerprint.validateDedupKey("slo:6f1c:burn")
        try AlertFingerprint.validateDedupKey("alertmanager:0123abcd")
    }
}
