import Testing
import VigilCore

/// The expected digests are fixed forever: fingerprints are stored, so a change here means open
/// alerts would be duplicated after an upgrade. Each was computed independently of this code
/// from the documented encoding, e.g.
/// `printf '2:v1,3:api,8:High CPU,3:env,4:prod,4:host,5:web-1,' | sha256sum`.
struct AlertFingerprintTests {
    @Test(arguments: [
        ("api", "High CPU", ["host": "web-1", "env": "prod"],
         "2:v1,3:api,8:High CPU,3:env,4:prod,4:host,5:web-1,",
         "f9e49e01c57ee3ef8bf28b80f6b48beebf99887ad6b07bd214beabdc154931ef"),
        ("api", "High CPU", [:], "2:v1,3:api,8:High CPU,",
         "8016643ead6e35edafa26dcf8cc561625c1a57c46eca394d5cfd9c91b7c06634"),
        // Multi-byte UTF-8 counts bytes (ü is 2), and "Zone" sorts before "zone" by bytes.
        ("db", "Disk ü", ["zone": "eu-1", "Zone": "x"], "2:v1,2:db,7:Disk ü,4:Zone,1:x,4:zone,4:eu-1,",
         "4b9af34468d619e15dbaa754e630f406cb5ffb64764d347968d00155aa3bc50b"),
        ("", "", [:], "2:v1,0:,0:,", "300b30c1af1dccd38ca0ab3bdafc08a9d3193b1779945dd60a3009c056c7fceb"),
    ] as [(String, String, [String: String], String, String)])
    func fixedVectors(source: String, title: String, labels: [String: String], encoding: String, digest: String) {
        #expect(AlertFingerprint.canonicalEncoding(source: source, title: title, labels: labels) == Array(encoding.utf8))
        #expect(AlertFingerprint.derived(source: source, title: title, labels: labels) == digest)
        #expect(AlertFingerprint.of(dedupKey: nil, source: source, title: title, labels: labels) == digest)
        #expect(AlertFingerprint.of(dedupKey: "", source: source, title: title, labels: labels) == digest)
    }

    @Test func dedupKeyWinsVerbatim() {
        #expect(AlertFingerprint.of(dedupKey: "db-primary-down", source: "x", title: "y", labels: ["a": "b"]) == "db-primary-down")
    }

    /// Inputs that a naive `source|title|k=v` join would confuse all hash differently.
    @Test func encodingIsUnambiguous() {
        let inputs: [(String, String, [String: String])] = [
            ("a", "b,c", [:]), ("a,b", "c", [:]), ("a", "bc", [:]), ("ab", "c", [:]),
            ("a", "b", ["k": "v"]), ("a", "b", ["k": ""]), ("a", "b", ["": "kv"]),
            ("a", "b", ["k": "v,1:x"]), ("a", "b", ["k": "v", "1:x": ""]), ("a", "b2:k,1:v", [:]),
        ]
        let digests = inputs.map { AlertFingerprint.derived(source: $0.0, title: $0.1, labels: $0.2) }
        #expect(Set(digests).count == inputs.count)
    }

    @Test func labelOrderDoesNotMatter() {
        var labels: [String: String] = [:]
        for i in 0..<50 { labels["k\(i)"] = "v\(i)" }
        let reversed = Dictionary(uniqueKeysWithValues: labels.reversed())
        #expect(AlertFingerprint.derived(source: "s", title: "t", labels: labels)
            == AlertFingerprint.derived(source: "s", title: "t", labels: reversed))
    }

    @Test func dedupKeyLimits() throws {
        try AlertFingerprint.validateDedupKey(String(repeating: "k", count: 255))
        #expect(throws: ValidationFailure.self) { try AlertFingerprint.validateDedupKey(String(repeating: "k", count: 256)) }
        #expect(throws: ValidationFailure.self) { try AlertFingerprint.validateDedupKey("") }
    }
}
