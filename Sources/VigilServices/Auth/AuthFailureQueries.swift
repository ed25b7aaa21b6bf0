import Foundation
import VigilCore
import VigilRepositories

extension AuditService {
    /// The workspace's aggregated failed authentications and cross-workspace probes, newest
    /// minute first. Counts still in memory (at most about a second's worth) are not included.
    public func listAuthFailures(in workspaceID: UUID, limit: Int?, cursor: String?) async throws -> Page<AuthFailureRecord> {
        try await paged(limit: limit, cursor: cursor, position: { TimeCursor(createdAt: $0.minute, id: $0.id) }) { page in
            let before = page.cursor.map { (minute: Date(microsecondsSince1970: $0.createdAtMicros), id: $0.id) }
            return try await database.inWorkspace(workspaceID) {
                try await AuthFailureRepository().list(workspaceID: workspaceID, limit: page.limit, before: before, on: $0)
            }
        }
    }
}
