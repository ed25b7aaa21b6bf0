import Foundation
import Testing
import VigilCore

/// `vigil audit verify-segment` and `vigil audit signing-key`, run as the built binary on real
/// files, as an auditor would run them: offline, with nothing but the downloaded segments.
struct AuditSegmentCommandTests {
    struct Run {
        var status: Int32
        var output: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(output.utf8))) as? [String: Any] ?? [:] }
    }

    static func vigil(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = WorkerProcess.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["VIGIL_AUDIT_SIGNING_KEY"] = nil
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-audit-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: try String(contentsOf: output, encoding: .utf8))
    }

    /// Settings are validated before any command runs: out-of-range or unreadable settings
    /// refuse to start (exit non-zero); in-range ones, the cache turned off, and an empty value
    /// (not set) do not.
    @Test(arguments: [
        ("VIGIL_READ_CACHE_MB", "0", true), ("VIGIL_READ_CACHE_MB", "4096", true), ("VIGIL_READ_CACHE_MB", "4097", false),
        ("VIGIL_READ_CACHE_MB", "-1", false), ("VIGIL_READ_CACHE_MB", "lots", false),
        ("VIGIL_READ_MAX_LAG_SECONDS", "0", false), ("VIGIL_READ_MAX_LAG_SECONDS", "30", true),
        // Text that is not a number (or a boolean) is refused, not replaced by the default.
        ("VIGIL_DB_POOL_SIZE", "ten", false), ("VIGIL_LIMIT_SERIES", "10k", false), ("VIGIL_LIMIT_SERIES", "", true),
        ("VIGIL_COMPLIANCE_MONTHLY", "maybe", false), ("VIGIL_COMPLIANCE_MONTHLY", "false", true),
    ])
    func settingsAreValidatedAtStart(name: String, value: String, starts: Bool) throws {
        let made = try Self.vigil(["audit", "signing-key", "new"])
        let privateKey = try #require(made.json["private_key"] as? String)
        let run = try Self.vigil(["audit", "signing-key", "public"], environment: ["VIGIL_AUDIT_SIGNING_KEY": privateKey, name: value])
        #expect((run.status == 0) == starts, "\(name)=\(value): exit \(run.status)")
    }

    /// Two consecutive segments of one chain (rows 1–3 and 4–5), written to files.
    static func writeSegments(key: AuditSigningKey) throws -> (URL, URL) {
        let workspace = UUID()
        var rows: [AuditRecord] = []
        for i in 1...5 {
            let draft = AuditRecord(workspaceID: workspace, seq: Int64(i), id: UUID(), occurredAtMicros: 1_700_000_000_000_000 + Int64(i),
                                    actorType: "admin", actorID: "admin", action: "api_key.create", resourceType: "api_key",
                                    resourceID: "\(i)", sourceIP: nil, correlationID: nil, details: ["name": "k\(i)"],
                                    detailsDigest: "", prevHash: "", rowHash: "")
            rows.append(AuditChain.seal(draft, after: rows.last?.rowHash))
        }
        let first = try AuditSegment.seal(Array(rows[0..<3]), after: .genesis, sealedAtMicros: 1, key: key)
        let second = try AuditSegment.seal(Array(rows[3..<5]), after: first.head, sealedAtMicros: 2, key: key)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("segments-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let files = (directory.appendingPathComponent("a.json"), directory.appendingPathComponent("b.json"))
        try Data(try first.encoded()).write(to: files.0)
        try Data(try second.encoded()).write(to: files.1)
        return files
    }

    @Test func verifySegmentPassesIntactFilesAndFailsEditedOnes() throws {
        let made = try Self.vigil(["audit", "signing-key", "new"])
        #expect(made.status == 0)
        let privateKey = try #require(made.json["private_key"] as? String)
        let publicKey = try #require(made.json["public_key"] as? String)
        let key = try AuditSigningKey(settingText: privateKey)
        #expect(key.publicKey == publicKey)
        let shown = try Self.vigil(["audit", "signing-key", "public"], environment: ["VIGIL_AUDIT_SIGNING_KEY": privateKey])
        #expect(shown.status == 0 && shown.json["public_key"] as? String == publicKey)

        // The setting is read as the worker reads it: a malformed key or keep period refuses to start.
        #expect(try Self.vigil(["audit", "signing-key", "public"]).status != 0, "no key set")
        #expect(try Self.vigil(["audit", "signing-key", "public"], environment: ["VIGIL_AUDIT_SIGNING_KEY": "not base64!"]).status != 0)
        #expect(try Self.vigil(["audit", "signing-key", "public"],
                               environment: ["VIGIL_AUDIT_SIGNING_KEY": privateKey, "VIGIL_AUDIT_SEGMENT_KEEP_DAYS": "0"]).status != 0)

        let (a, b) = try Self.writeSegments(key: key)
        // Given in reverse order: the command sorts them and checks that b continues a.
        let intact = try Self.vigil(["audit", "verify-segment", "--public-key", publicKey, b.path, a.path])
        #expect(intact.status == 0, "\(intact.output)")
        #expect(intact.json["intact"] as? Bool == true && intact.json["key_checked"] as? String == "pinned")
        #expect((intact.json["segments"] as? [[String: Any]])?.count == 2)

        let other = try AuditSigningKey(settingText: AuditSigningKey.generateSettingText())
        let wrongKey = try Self.vigil(["audit", "verify-segment", "--public-key", other.publicKey, a.path])
        #expect(wrongKey.status == 1)
        #expect(wrongKey.output.contains("not the pinned public key"))

        // A file with one row's details edited no longer verifies, and says where.
        let text = try String(contentsOf: b, encoding: .utf8)
        try text.replacingOccurrences(of: "\"k4\"", with: "\"someone\"").write(to: b, atomically: true, encoding: .utf8)
        let edited = try Self.vigil(["audit", "verify-segment", "--public-key", publicKey, a.path, b.path])
        #expect(edited.status == 1)
        #expect(edited.output.contains("the chain breaks at seq 4: details_digest_mismatch"), "\(edited.output)")

        // Without a's file, b alone still verifies by itself (continuity is checked only between files given).
        try text.write(to: b, atomically: true, encoding: .utf8)
        #expect(try Self.vigil(["audit", "verify-segment", "--public-key", publicKey, b.path]).status == 0)
        let notASegment = try Self.vigil(["audit", "verify-segment", WorkerProcess.binary.path])
        #expect(notASegment.status != 0)
    }
}
