import Foundation
import VigilCore
import VigilRepositories

/// `vigil secrets reseal`: re-encrypts every channel's secrets under the primary key of
/// `VIGIL_SECRETS_KEY`, and seals legacy plaintext rows (from before migration 0011). The
/// rotation story: prepend the new key, restart, reseal, then drop the old key.
public struct ChannelSecretResealer: Sendable {
    public struct Summary: Sendable, Equatable {
        public var workspaces = 0
        public var channels = 0
        /// Rows rewritten: legacy plaintext, or sealed under a key other than the primary.
        public var resealed = 0
    }

    let database: Database
    let keyring: SecretKeyring?
    let repository = ChannelRepository()

    /// One transaction per workspace (rows locked while rewritten), so a tenant's rows are
    /// either all resealed or untouched, and one failure names its workspace.
    /// `progress` hears (workspaces done, workspaces in all) as it goes.
    public func resealAll(progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Summary {
        guard let keyring else { throw ServiceError.unavailable("\(SecretBoxError.keyNotConfigured)") }
        let store = ChannelSecretStore(keyring: keyring)
        var summary = Summary()
        let workspaces = try await database.everyWorkspace()
        for workspace in workspaces {
            defer { progress?(summary.workspaces, workspaces.count) }
            summary.workspaces += 1
            let (channels, resealed) = try await database.inWorkspace(workspace.id) { connection in
                let rows = try await repository.sealedSecrets(on: connection)
                var resealed = 0
                for (id, stored) in rows {
                    guard try needsReseal(stored, primaryID: keyring.primaryID) else { continue }
                    let secrets = try store.open(stored, workspaceID: workspace.id, channelID: id)
                    try await repository.storeSealedSecrets(id: id, sealedSecretsJSON: try store.seal(secrets, workspaceID: workspace.id, channelID: id),
                                                            on: connection)
                    resealed += 1
                }
                return (rows.count, resealed)
            }
            summary.channels += channels
            summary.resealed += resealed
        }
        return summary
    }

    private func needsReseal(_ stored: ChannelRepository.StoredSecrets, primaryID: String) throws -> Bool {
        guard stored.sealed else { return true }
        let envelopes = try StoredJSON.decode([String: String].self, stored.json, row: "notification_channels secrets")
        return ChannelSecretSealing.keyIDs(of: envelopes).contains { $0 != primaryID }
    }
}

extension Services {
    /// Reseals channel secrets under this process's `VIGIL_SECRETS_KEY`.
    public var channelSecretResealer: ChannelSecretResealer {
        ChannelSecretResealer(database: database, keyring: environment.settings.secretKeyring)
    }
}
