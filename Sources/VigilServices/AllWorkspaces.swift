import Foundation
import VigilCore
import VigilRepositories

extension Database {
    /// Every workspace, read page by page (one short transaction each): for the worker's
    /// per-workspace housekeeping, which must visit all tenants.
    func everyWorkspace(pageSize: Int = 500) async throws -> [Workspace] {
        let repository = WorkspaceRepository()
        var all: [Workspace] = []
        var cursor: TimeCursor?
        repeat {
            let page = try await platform { try await repository.list(limit: pageSize, after: cursor, on: $0) }
            all += page
            cursor = page.count == pageSize ? page.last.map { TimeCursor(createdAt: $0.createdAt, id: $0.id) } : nil
        } while cursor != nil
        return all
    }
}

extension WorkspaceService {
    /// Every workspace, for periodic work that visits all tenants.
    public func all() async throws -> [Workspace] { try await database.everyWorkspace() }

    /// The workspace with this id, or nil when it no longer exists (jobs outlive workspaces).
    public func find(id: UUID) async throws -> Workspace? {
        try await database.inWorkspace(id) { try await WorkspaceRepository().find(id: id, on: $0) }
    }
}
