import Foundation
import Testing
import VigilCore

struct SecretBoxTests {
    static let k1 = [UInt8](repeating: 1, count: 32), k2 = [UInt8](repeating: 2, count: 32)
    static let workspaceA = UUID(), workspaceB = UUID(), channel = UUID()
    static func aad(_ workspace: UUID, channel: UUID = channel, name: String = "signing_secret") -> String {
        ChannelSecretSealing.associatedData(workspaceID: workspace, channelID: channel, name: name)
    }
    static func keyring(_ keys: (String, [UInt8])...) throws -> SecretKeyring { try SecretKeyring(keys: keys.map { (id: $0.0, bytes: $0.1) }) }

    @Test func roundTripAndEnvelopeShape() throws {
        let ring = try Self.keyring(("k1", Self.k1))
        let envelope = try SecretBox.seal("hunter2-signing-secret", keyring: ring, associatedData: Self.aad(Self.workspaceA))
        #expect(envelope.hasPrefix("v1:k1:"))
        #expect(!envelope.contains("hunter2"))
        #expect(SecretBox.keyID(of: envelope) == "k1")
        #expect(try SecretBox.open(envelope, keyring: ring, associatedData: Self.aad(Self.workspaceA)) == "hunter2-signing-secret")
        // A fresh nonce per seal: the same secret never seals to the same text.
        #expect(try SecretBox.seal("hunter2-signing-secret", keyring: ring, associatedData: Self.aad(Self.workspaceA)) != envelope)
    }

    /// Each case: where the envelope was sealed vs. where it is opened.
    @Test(arguments: [
        ("another workspace", aad(workspaceB)),
        ("another channel", aad(workspaceA, channel: UUID())),
        ("another secret slot", aad(workspaceA, name: "smtp_password")),
    ])
    func movedEnvelopeDoesNotOpen(_ label: String, openedAt: String) throws {
        let ring = try Self.keyring(("k1", Self.k1))
        let envelope = try SecretBox.seal("s3cret-value-123456", keyring: ring, associatedData: Self.aad(Self.workspaceA))
        #expect(throws: SecretBoxError.authenticationFailed, "\(label)") {
            try SecretBox.open(envelope, keyring: ring, associatedData: openedAt)
        }
    }

    @Test func tamperedByteFails() throws {
        let ring = try Self.keyring(("k1", Self.k1))
        let envelope = try SecretBox.seal("s3cret-value-123456", keyring: ring, associatedData: Self.aad(Self.workspaceA))
        let prefix = "v1:k1:"
        var payload = Data(base64Encoded: String(envelope.dropFirst(prefix.count)))!
        for index in [0, 12, payload.count - 1] {   // nonce, ciphertext, tag
            var bytes = payload
            bytes[index] ^= 0x01
            #expect(throws: SecretBoxError.authenticationFailed) {
                try SecretBox.open(prefix + bytes.base64EncodedString(), keyring: ring, associatedData: Self.aad(Self.workspaceA))
            }
        }
        payload.removeLast()
        #expect(throws: SecretBoxError.authenticationFailed) {
            try SecretBox.open(prefix + payload.base64EncodedString(), keyring: ring, associatedData: Self.aad(Self.workspaceA))
        }
        // Relabelling the key id is caught too (it is authenticated), even when that key exists.
        let both = try Self.keyring(("k1", Self.k1), ("k2", Self.k1))
        #expect(throws: SecretBoxError.authenticationFailed) {
            try SecretBox.open("v1:k2:" + envelope.dropFirst(prefix.count), keyring: both, associatedData: Self.aad(Self.workspaceA))
        }
    }

    @Test func unknownKeyIDFailsClearly() throws {
        let envelope = try SecretBox.seal("x", keyring: try Self.keyring(("k1", Self.k1)), associatedData: "a")
        let error = #expect(throws: SecretBoxError.self) { try SecretBox.open(envelope, keyring: try Self.keyring(("k2", Self.k2)), associatedData: "a") }
        #expect(error == .unknownKeyID("k1"))
        #expect(error?.description.contains("'k1'") == true && error?.description.contains("VIGIL_SECRETS_KEY") == true)
    }

    @Test(arguments: ["", "v1:k1", "v2:k1:AAAA", "v1:k1:not base64!", "v1::AAAA", "plain text secret"])
    func malformedEnvelope(_ text: String) throws {
        #expect(throws: SecretBoxError.malformedEnvelope) {
            try SecretBox.open(text, keyring: try Self.keyring(("k1", Self.k1)), associatedData: "a")
        }
    }

    @Test func rotationOpensOldEnvelopesAndSealsUnderTheNewKey() throws {
        let old = try Self.keyring(("k1", Self.k1))
        let sealedUnderK1 = try SecretBox.seal("rotate-me-please", keyring: old, associatedData: "a")
        let rotated = try Self.keyring(("k2", Self.k2), ("k1", Self.k1))
        #expect(rotated.primaryID == "k2")
        #expect(try SecretBox.open(sealedUnderK1, keyring: rotated, associatedData: "a") == "rotate-me-please")
        let resealed = try SecretBox.seal(try SecretBox.open(sealedUnderK1, keyring: rotated, associatedData: "a"), keyring: rotated, associatedData: "a")
        #expect(SecretBox.keyID(of: resealed) == "k2")
        let onlyK2 = try Self.keyring(("k2", Self.k2))
        #expect(try SecretBox.open(resealed, keyring: onlyK2, associatedData: "a") == "rotate-me-please")
        #expect(throws: SecretBoxError.unknownKeyID("k1")) { try SecretBox.open(sealedUnderK1, keyring: onlyK2, associatedData: "a") }
    }

    @Test func channelSecretsSealPerNameAndRequireAKey() throws {
        let ring = try Self.keyring(("k1", Self.k1))
        let secrets = ChannelSecrets(signingSecret: "whsec-0123456789abcdef", smtpPassword: "pw-123")
        let sealed = try ChannelSecretSealing.seal(secrets, keyring: ring, workspaceID: Self.workspaceA, channelID: Self.channel)
        #expect(Set(sealed.keys) == ["signing_secret", "smtp_password"])
        #expect(sealed.values.allSatisfy { $0.hasPrefix("v1:k1:") && !$0.contains("whsec") })
        #expect(try ChannelSecretSealing.open(sealed, keyring: ring, workspaceID: Self.workspaceA, channelID: Self.channel) == secrets)
        #expect(throws: SecretBoxError.authenticationFailed) {
            try ChannelSecretSealing.open(sealed, keyring: ring, workspaceID: Self.workspaceB, channelID: Self.channel)
        }
        // Swapping two values between slots of the same row fails as well.
        let swapped = ["signing_secret": sealed["smtp_password"]!, "smtp_password": sealed["signing_secret"]!]
        #expect(throws: SecretBoxError.authenticationFailed) {
            try ChannelSecretSealing.open(swapped, keyring: ring, workspaceID: Self.workspaceA, channelID: Self.channel)
        }
        #expect(throws: SecretBoxError.keyNotConfigured) {
            try ChannelSecretSealing.seal(secrets, keyring: nil, workspaceID: Self.workspaceA, channelID: Self.channel)
        }
        #expect(try ChannelSecretSealing.seal(ChannelSecrets(), keyring: nil, workspaceID: Self.workspaceA, channelID: Self.channel).isEmpty)
    }
}

struct SecretKeyringTests {
    static let b64 = Data(repeating: 7, count: 32).base64EncodedString()

    @Test func parsesIdsInPriorityOrderAndBareKeys() throws {
        let ring = try SecretKeyring(settingText: "k2:\(Self.b64), k1:\(Data(repeating: 8, count: 32).base64EncodedString())")
        #expect(ring.primaryID == "k2" && ring.keyIDs == ["k2", "k1"])
        #expect(try SecretKeyring(settingText: Self.b64).primaryID == SecretKeyring.defaultKeyID)
        let generated = try SecretKeyring(settingText: SecretKeyring.generateSettingText(id: "dev1"))
        #expect(generated.primaryID == "dev1")
    }

    @Test(arguments: ["", "k1:", "k1:c2hvcnQ=", "k1:\(b64),k1:\(b64)", "bad id:\(b64)", "k1:not-base64!!"])
    func refusesBadSettingsWithoutEchoingKeys(_ text: String) {
        let error = #expect(throws: SecretBoxError.self) { try SecretKeyring(settingText: text) }
        #expect(error?.description.hasPrefix("VIGIL_SECRETS_KEY") == true)
        #expect(error?.description.contains(Self.b64) == false)
    }
}
