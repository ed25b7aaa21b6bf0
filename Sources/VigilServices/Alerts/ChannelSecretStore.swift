import Foundation
import Logging
import VigilCore
import VigilRepositories

/// Channel secrets between the services and the `secrets` column: sealed with the operator's
/// keyring (`VIGIL_SECRETS_KEY`) on every write, opened for delivery and for merging an update.
///
/// Without a keyring nothing with secrets can be written, and sealed rows cannot be delivered:
/// that is an operator problem, so it surfaces as `unavailable` (503 / a retried job) with a
/// message naming the setting, never as a silent unsigned delivery. Rows written before
/// migration 0011 (`secrets_sealed = false`) are legacy plaintext and read as such.
struct ChannelSecretStore: Sendable {
    let keyring: SecretKeyring?
    static let logger = Logger(label: "vigil.channel-secrets")

    /// The name -> envelope JSON for the `secrets` column.
    func seal(_ secrets: ChannelSecrets, workspaceID: UUID, channelID: UUID) throws -> String {
        do {
            let sealed = try ChannelSecretSealing.seal(secrets, keyring: keyring, workspaceID: workspaceID, channelID: channelID)
            return String(decoding: try JSONEncoder.sortedKeys.encode(sealed), as: UTF8.self)
        } catch let error as SecretBoxError {
            throw Self.serviceError(error, row: "a new value")
        }
    }

    func open(_ stored: ChannelRepository.StoredSecrets, workspaceID: UUID, channelID: UUID) throws -> ChannelSecrets {
        let row = "notification_channels \(channelID.lowercased) secrets"
        guard stored.sealed else { return try StoredJSON.decode(ChannelSecrets.self, stored.json, row: row) }
        let envelopes = try StoredJSON.decode([String: String].self, stored.json, row: row)
        do {
            return try ChannelSecretSealing.open(envelopes, keyring: keyring, workspaceID: workspaceID, channelID: channelID)
        } catch let error as SecretBoxError {
            throw Self.serviceError(error, row: row)
        }
    }

    /// `open` for loops where one damaged row must not stop the others: a corrupt row is logged
    /// and skipped (nil); a missing key still throws, since every other row would fail too.
    func openOrSkip(_ stored: ChannelRepository.StoredSecrets, workspaceID: UUID, channelID: UUID) throws -> ChannelSecrets? {
        do {
            return try open(stored, workspaceID: workspaceID, channelID: channelID)
        } catch let error as RepositoryError {
            Self.logger.error("skipped a corrupt row", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// A missing or incomplete keyring is the operator's to fix (unavailable); an envelope that
    /// does not open under a key we hold is a damaged or moved row (corrupt).
    static func serviceError(_ error: SecretBoxError, row: String) -> Error {
        switch error {
        case .keyNotConfigured, .unknownKeyID, .malformedKeySetting: ServiceError.unavailable("\(error)")
        case .malformedEnvelope, .authenticationFailed: RepositoryError.corruptRow("\(row): \(error)")
        }
    }
}
