import Foundation
import VigilCore
import VigilRepositories

/// Reading the notification ledger.
public struct NotificationLedgerService: Sendable {
    let database: Database
    let ledger = NotificationLedgerRepository()

    public init(database: Database) {
        self.database = database
    }

    /// Newest first by ledger id.
    public func list(in workspaceID: UUID, alertID: UUID?, limit: Int?, cursor: String?) async throws -> Page<NotificationRecord> {
        try await paged(limit: limit, cursor: cursor, position: { SequenceCursor(before: $0.id) }) { page in
            try await database.inWorkspace(workspaceID) {
                try await ledger.list(alertID: alertID, beforeID: page.cursor?.before, limit: page.limit, on: $0)
            }
        }
    }
}
