/// Why a secret could not be sealed or opened. Messages never carry plaintext or key bytes.
public enum SecretBoxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `VIGIL_SECRETS_KEY` is not usable.
    case malformedKeySetting(String)
    /// Not a `v1:<key id>:<base64>` envelope.
    case malformedEnvelope
    /// Sealed under a key the keyring does not hold (dropped too early from `VIGIL_SECRETS_KEY`?).
    case unknownKeyID(String)
    /// Wrong key, wrong associated data (copied from another row or workspace), or tampered.
    case authenticationFailed
    /// A secret must be sealed or opened but `VIGIL_SECRETS_KEY` is not set.
    case keyNotConfigured

    public var description: String {
        switch self {
        case .malformedKeySetting(let why): "VIGIL_SECRETS_KEY: \(why)"
        case .malformedEnvelope: "the sealed secret is not a v1 envelope"
        case .unknownKeyID(let id): "the secret is sealed under key '\(id.prefix(40))', which VIGIL_SECRETS_KEY does not hold"
        case .authenticationFailed: "the sealed secret does not open (tampered, or copied from another channel or workspace)"
        case .keyNotConfigured: "VIGIL_SECRETS_KEY is not set: channel secrets cannot be stored or used (see docs/operations.md)"
        }
    }
}
