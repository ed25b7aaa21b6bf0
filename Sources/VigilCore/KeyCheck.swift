import Foundation

/// Decides whether a presented API key may be used, given what the database holds for it.
public enum KeyCheck {
    public enum Outcome: String, Sendable, Equatable {
        case accepted
        case unknown      // no such key in the workspace the key names
        case revoked
        case expired
    }

    public static func evaluate(_ key: ApiKey?, at now: Date) -> Outcome {
        guard let key else { return .unknown }
        if let revokedAt = key.revokedAt, revokedAt <= now { return .revoked }
        if let expiresAt = key.expiresAt, expiresAt <= now { return .expired }
        return .accepted
    }
}
