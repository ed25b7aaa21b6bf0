import ArgumentParser
import Foundation
import VigilCore

/// Offline tools for sealed audit segments: make a signing key, print its public key, and
/// verify downloaded segments with nothing but the files (no database, no network).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Sealed audit-log segments: signing keys and offline verification.",
        subcommands: [SigningKey.self, VerifySegment.self])

    struct SigningKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "signing-key",
            abstract: "Print a new VIGIL_AUDIT_SIGNING_KEY (`new`), or the public key of the configured one (`public`).")

        @Argument(help: "new | public") var action: String

        func run() async throws {
            switch action {
            case "new":
                let text = AuditSigningKey.generateSettingText()
                let key = try AuditSigningKey(settingText: text)
                try printJSON(["private_key": text, "public_key": key.publicKey, "key_id": key.keyID])
            case "public":
                // Read as the worker reads it (Settings), so both agree on what the setting holds.
                guard let key = try Settings.load().auditSigningKey else { throw ValidationError("VIGIL_AUDIT_SIGNING_KEY is not set") }
                try printJSON(["public_key": key.publicKey, "key_id": key.keyID])
            default:
                throw ValidationError("expected `new` or `public`")
            }
        }
    }

    struct VerifySegment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-segment",
            abstract: "Verify downloaded audit segments offline; several files are also checked to continue one another.",
            discussion: "Exit status 0 when every segment is intact, 1 otherwise. Without --public-key the signature is checked against the key named in each file, which proves integrity but not who sealed it.")

        @Option(name: .long, help: "The operator's public key (base64), as `vigil audit signing-key public` prints it.")
        var publicKey: String?

        @Argument(help: "Segment files (JSON), in any order.") var files: [String]

        func run() async throws {
            var segments: [(file: String, segment: AuditSegment)] = []
            for file in files {
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                do { segments.append((file, try AuditSegment.decode(data))) } catch {
                    throw ValidationError("\(file) is not an audit segment: \(error)")
                }
            }
            segments.sort { $0.segment.manifest.seqFrom < $1.segment.manifest.seqFrom }
            var previous: AuditChain.Position?
            var results: [[String: Any]] = []
            var intact = true
            for (index, (file, segment)) in segments.enumerated() {
                // Only consecutive files of one workspace must join up.
                let joinsPrevious = index > 0 && segments[index - 1].segment.manifest.workspaceID == segment.manifest.workspaceID
                let problems = segment.problems(pinnedPublicKey: publicKey, after: joinsPrevious ? previous : nil)
                intact = intact && problems.isEmpty
                results.append([
                    "file": file, "workspace_id": segment.manifest.workspaceID.uuidString.lowercased(),
                    "seq_from": segment.manifest.seqFrom, "seq_to": segment.manifest.seqTo,
                    "head_hash": segment.manifest.headHash, "key_id": segment.manifest.keyID,
                    "intact": problems.isEmpty, "problems": problems.map(\.description),
                ])
                previous = segment.head
            }
            try printJSON(["intact": intact, "key_checked": publicKey == nil ? "embedded" : "pinned", "segments": results])
            if !intact { throw ExitCode(1) }
        }
    }
}
