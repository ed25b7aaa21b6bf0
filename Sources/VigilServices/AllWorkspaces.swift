import Foundation
import VigilCore
import VigilRepositories

extension Database {
    /// Every workspace, read page by page (one short transaction each): for the worker's
    /// per-workspace housekeeping, which must visit all tenants.
    public func allWorkspaces() async throws -> [Workspace] { try await everyWorkspace() }

    func everyWorkspace(pageSize: Int = 500) async throws -> [Workspace] {
        let repository = WorkspaceRepository()
        var all: [Workspace] = []
        var cursor: TimeCursor?
        repeat {
            let page = try await platform { try await repository.list(limit: pageSize, after: cursor, on: $0) }
            all += page
            cursor = page.count == pageSize
                ? page.last.map { TimeCursor(createdAtMicros: $0.createdAt.microsecondsSince1970, id: $0.id) } : nil
        } while cursor != nil
        return all
    }
}
