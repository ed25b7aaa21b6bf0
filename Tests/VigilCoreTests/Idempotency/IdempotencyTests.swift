import Foundation
import Testing
import VigilCore

/// The pure half of `Idempotency-Key`: which header values are keys, what makes two requests
/// "the same", and what a stored record means for a new request.
@Suite struct IdempotencyTests {
    /// (header value, accepted)
    static let keys: [(String?, Bool)] = [
        (nil, true),                                             // absent: no key, not an error
        ("a", true),                                             // one character
        ("3f1c0e9a-2b7d-4c55-9e1f-0123456789ab", true),          // a uuid
        ("order:42/retry#1~!", true),                            // any visible ASCII
        (String(repeating: "k", count: 255), true),              // the maximum
        (String(repeating: "k", count: 256), false),             // one past it
        ("", false),                                             // empty
        ("two words", false),                                    // a space
        (" lead", false),
        ("tab\there", false),                                    // control characters
        ("nul\u{0}", false),
        ("del\u{7F}", false),
        ("é", false),                                            // not ASCII
        ("日本", false),
    ]

    @Test(arguments: keys.indices)
    func keyFormat(index: Int) throws {
        let (raw, accepted) = Self.keys[index]
        if accepted {
            let key = try IdempotencyKey.parse(raw)
            #expect(key?.value == raw)
        } else {
            #expect(throws: ValidationFailure.self) { try IdempotencyKey.parse(raw) }
            do { _ = try IdempotencyKey.parse(raw) } catch let failure as ValidationFailure {
                #expect(failure.field == "Idempotency-Key")
            }
        }
    }

    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let first = RequestFingerprint.of(.ingestMetrics, body: Array(#"{"points":[]}"#.utf8))
    static let answer = IdempotentResponse(status: 200, body: Data(#"{"accepted":0}"#.utf8))

    static func record(_ fingerprint: RequestFingerprint, age: TimeInterval) -> IdempotencyRecord {
        let created = now.addingTimeInterval(-age)
        return IdempotencyRecord(fingerprint: fingerprint, response: answer, createdAt: created, expiresAt: IdempotencyKey.expiry(from: created))
    }

    /// (stored record, request fingerprint, decision)
    static let decisions: [(IdempotencyRecord?, RequestFingerprint, IdempotencyDecision)] = [
        (nil, first, .proceed),                                                        // never seen
        (record(first, age: 60), first, .replay(answer)),                              // same request: the first answer
        (record(first, age: 86_399), first, .replay(answer)),                          // still remembered at 24 h minus 1 s
        (record(first, age: 86_400), first, .proceed),                                 // forgotten at 24 h (not yet pruned)
        (record(first, age: 60), .of(.ingestMetrics, body: Array(#"{"points":[1]}"#.utf8)), .keyReused),  // another body
        (record(first, age: 90_000), .of(.ingestMetrics, body: Array("x".utf8)), .proceed),              // another body, after expiry
    ]

    @Test(arguments: decisions.indices)
    func decision(index: Int) {
        let (stored, fingerprint, expected) = Self.decisions[index]
        #expect(IdempotencyDecision.decide(stored: stored, fingerprint: fingerprint, now: Self.now) == expected)
    }

    /// (a, b, same fingerprint)
    static let fingerprints: [(RequestFingerprint, RequestFingerprint, Bool)] = [
        (.of(.ingestMetrics, body: Array("{}".utf8)), .of(.ingestMetrics, body: Array("{}".utf8)), true),
        (.of(.ingestMetrics, body: Array("{}".utf8)), .of(.recordKPIEvents, body: Array("{}".utf8)), false),  // operation
        (.of(.recordKPIEvents, target: "signups", body: Array("{}".utf8)),
         .of(.recordKPIEvents, target: "orders", body: Array("{}".utf8)), false),                             // target
        (.of(.recordKPIEvents, target: "ab", body: Array("c".utf8)),
         .of(.recordKPIEvents, target: "a", body: Array("bc".utf8)), false),                                  // boundaries
        (.of(.createAlert, body: Array(#"{"a":1}"#.utf8)), .of(.createAlert, body: Array(#"{"a":2}"#.utf8)), false),
    ]

    @Test(arguments: fingerprints.indices)
    func fingerprint(index: Int) {
        let (a, b, same) = Self.fingerprints[index]
        #expect((a == b) == same)
        #expect(a.hex.count == 64)
    }

    struct Body: Encodable {
        var title: String
        var labels: [String: String]
        var at: Date?
    }

    @Test func decodedBodiesFingerprintByValueNotByOrder() throws {
        let at = Date(timeIntervalSince1970: 1_800_000_000.123456)
        let one = try RequestFingerprint.of(.createAlert, value: Body(title: "t", labels: ["b": "2", "a": "1"], at: at))
        let two = try RequestFingerprint.of(.createAlert, value: Body(title: "t", labels: ["a": "1", "b": "2"], at: at))
        let later = try RequestFingerprint.of(.createAlert, value: Body(title: "t", labels: ["a": "1", "b": "2"], at: at.addingTimeInterval(0.000001)))
        #expect(one == two)
        #expect(one != later)
    }

    @Test func aKeyLivesTwentyFourHours() {
        #expect(IdempotencyKey.expiry(from: Self.now).timeIntervalSince(Self.now) == 86_400)
    }

    /// Stored values: renaming one would orphan the keys clients hold.
    @Test func operationNamesArePinned() {
        #expect(IdempotentOperation.allCases.map(\.rawValue) == ["ingest_metrics", "record_kpi_events", "create_alert", "create_compliance_report"])
    }
}
