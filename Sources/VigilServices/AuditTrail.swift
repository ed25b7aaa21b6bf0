import Foundation
import VigilCore
import VigilRepositories

/// Builds audit entries for use cases and appends them inside the use case's transaction, so
/// an action is audited if and only if it committed.
public struct AuditTrail: Sendable {
    /// Where events about no known workspace go (e.g. a key naming a workspace that does not exist).
    public static let platformWorkspaceID = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!

    let repository = AuditLogRepository()
    let clock: WallClock

    public init(clock: WallClock) {
        self.clock = clock
    }

    public func record(workspaceID: UUID, actor: Actor, action: String, resourceType: String, resourceID: String?,
                       details: [String: String] = [:], request: RequestMetadata, on connection: Transaction) async throws {
        let draft = AuditRecord(
            workspaceID: workspaceID, seq: 0, id: UUID(), occurredAtMicros: clock.now().microsecondsSince1970,
            actorType: actor.type, actorID: actor.id, action: action, resourceType: resourceType, resourceID: resourceID,
            sourceIP: request.sourceIP, correlationID: request.correlationID,
            details: SecretRedaction.redact(details), detailsDigest: "", prevHash: "", rowHash: "")
        try await repository.append(draft, on: connection)
    }
}
