import Foundation

/// How a channel's secrets are stored: a JSON object from secret name to `SecretBox` envelope,
/// so the names stay listable in SQL (`secret_names`) while the values are ciphertext.
///
/// Each envelope's associated data names the workspace, the channel and the secret, so a value
/// copied to another workspace's row, another channel, or another secret slot does not open.
public enum ChannelSecretSealing {
    public static func associatedData(workspaceID: UUID, channelID: UUID, name: String) -> String {
        "notification_channels.secrets|workspace=\(workspaceID.uuidString.lowercased())|channel=\(channelID.uuidString.lowercased())|name=\(name)"
    }

    /// Every set secret sealed under the primary key. With no keyring only an empty set seals.
    public static func seal(_ secrets: ChannelSecrets, keyring: SecretKeyring?, workspaceID: UUID, channelID: UUID) throws -> [String: String] {
        let values = secrets.storedValues
        if values.isEmpty { return [:] }
        guard let keyring else { throw SecretBoxError.keyNotConfigured }
        var sealed: [String: String] = [:]
        for (name, value) in values {
            sealed[name] = try SecretBox.seal(value, keyring: keyring,
                                              associatedData: associatedData(workspaceID: workspaceID, channelID: channelID, name: name))
        }
        return sealed
    }

    /// Opens what `seal` stored. Unknown names are ignored (a newer build's secret).
    public static func open(_ stored: [String: String], keyring: SecretKeyring?, workspaceID: UUID, channelID: UUID) throws -> ChannelSecrets {
        if stored.isEmpty { return ChannelSecrets() }
        guard let keyring else { throw SecretBoxError.keyNotConfigured }
        var plain: [String: String] = [:]
        for (name, envelope) in stored where ChannelSecrets.storedNames.contains(name) {
            plain[name] = try SecretBox.open(envelope, keyring: keyring,
                                             associatedData: associatedData(workspaceID: workspaceID, channelID: channelID, name: name))
        }
        return ChannelSecrets(storedValues: plain)
    }

    /// The key ids a stored set is sealed under (to tell whether a reseal would change it).
    public static func keyIDs(of stored: [String: String]) -> Set<String> {
        Set(stored.values.compactMap(SecretBox.keyID(of:)))
    }
}

extension ChannelSecrets {
    static let storedNames: Set<String> = ["signing_secret", "webhook_url", "routing_key", "smtp_password"]

    /// The set secrets by their stored (and API) names.
    var storedValues: [String: String] {
        var values: [String: String] = [:]
        values["signing_secret"] = signingSecret
        values["webhook_url"] = webhookURL
        values["routing_key"] = routingKey
        values["smtp_password"] = smtpPassword
        return values
    }

    init(storedValues values: [String: String]) {
        self.init(signingSecret: values["signing_secret"], webhookURL: values["webhook_url"],
                  routingKey: values["routing_key"], smtpPassword: values["smtp_password"])
    }
}
