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

    public func list(in workspaceID: UUID, alertID: UUID?, limit requested: Int?, cursor raw: String?) async throws -> Page<NotificationRecord> {
        let limit: Int, cursor: SequenceCursor?
        do { limit = try Pagination.limit(requested); cursor = try SequenceCursor.decode(raw) } catch { throw ServiceError(error) }
        let items = try await database.inWorkspace(workspaceID) {
            try await ledger.list(alertID: alertID, beforeID: cursor?.before, limit: limit, on: $0)
        }
        return Page(items: items, nextCursor: items.count == limit ? items.last.map { SequenceCursor(before: $0.id).encoded } : nil)
    }
}
