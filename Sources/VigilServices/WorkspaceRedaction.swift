import Foundation
import VigilCore
import VigilRepositories

/// A workspace's redactor for stores other than metric tags (which keep a per-process key
/// cache on the ingest hot path): nil when the policy is off; in `pseudonymize` mode with the
/// workspace's pseudonym key, read from the platform side.
enum WorkspaceRedaction {
    static func redactor(for workspace: Workspace, database: Database,
                         workspaces: WorkspaceRepository = WorkspaceRepository()) async throws -> (redactor: PIIRedactor?, pseudonymKey: [UInt8]?) {
        let policy = workspace.settings.redaction
        guard policy.enabled else { return (nil, nil) }
        guard policy.mode == .pseudonymize else { return (PIIRedactor(policy: policy), nil) }
        let key = try await database.inWorkspace(workspace.id) { try await workspaces.pseudonymKey(on: $0) }
        return (PIIRedactor(policy: policy, pseudonymKey: key), key)
    }
}
