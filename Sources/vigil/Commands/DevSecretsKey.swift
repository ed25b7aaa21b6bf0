import Foundation
import VigilCore

extension DevState {
    /// `vigil dev`'s VIGIL_SECRETS_KEY: generated once into the data directory (mode 0600) and
    /// reused, so channels saved in one run still deliver in the next. Losing the file loses the
    /// channels' secrets (they must be re-entered), as losing a production key would.
    static func secretsKey(in root: URL) throws -> String {
        try savedKey(named: "secrets-key", in: root) { SecretKeyring.generateSettingText(id: "dev1") }
    }

    /// `vigil dev`'s VIGIL_AUDIT_SIGNING_KEY, kept the same way, so segments sealed in one run
    /// verify against the same public key in the next.
    static func auditSigningKey(in root: URL) throws -> String {
        try savedKey(named: "audit-signing-key", in: root) { AuditSigningKey.generateSettingText() }
    }

    private static func savedKey(named name: String, in root: URL, generate: () -> String) throws -> String {
        let file = root.appendingPathComponent(name)
        if let saved = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !saved.isEmpty {
            return saved
        }
        let text = generate()
        // Created with 0600 from the start: the key never sits world-readable, even briefly.
        guard FileManager.default.createFile(atPath: file.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        return text
    }
}
