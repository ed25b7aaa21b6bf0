import Foundation
import VigilCore
import VigilRepositories

/// How a workspace's redaction policy applies to security events. Texts (user agent, endpoint,
/// user reference, details) are redacted like metric tags. The source address is the
/// exception the scorer needs: it is kept as the address, or, in `pseudonymize` mode, stored
/// in the events as its pseudonym token (`[IP:…]`) while the per-address threat state keeps
/// the address itself, because a blocklist of tokens could not be enforced.
struct SecurityEventPrivacy: Sendable {
    let redactor: PIIRedactor?
    let pseudonymKey: [UInt8]?

    static func make(for workspace: Workspace, database: Database, workspaces: WorkspaceRepository) async throws -> SecurityEventPrivacy {
        let (redactor, key) = try await WorkspaceRedaction.redactor(for: workspace, database: database, workspaces: workspaces)
        return SecurityEventPrivacy(redactor: redactor, pseudonymKey: key)
    }

    /// What the events store for `address`: the address, or its pseudonym token.
    func sourceKey(for address: SecurityAddress) -> String {
        guard let pseudonymKey, !pseudonymKey.isEmpty else { return address.description }
        return PIIRedactor.token(for: address.description, category: .ip, key: pseudonymKey)
    }

    func redact(_ event: SecurityEvent) -> SecurityEvent {
        var copy = event
        copy.sourceIP = event.sourceIP.flatMap(SecurityAddress.init).map(sourceKey)
        guard let redactor else { return copy }
        copy.userAgent = event.userAgent.map { redactor.redactValue($0) }
        copy.endpoint = event.endpoint.map { redactor.redactValue($0) }
        copy.userRef = event.userRef.map { redactor.redactValue($0) }
        copy.details = redactor.redactTags(event.details)
        return copy
    }
}
