import Foundation
import VigilCore
import VigilRepositories

/// Periodic work that runs per workspace, not in one job over all of them: a platform tick
/// enqueues one job for each workspace that has something to do, unique per workspace while
/// pending, so a slow or failing tenant only delays its own next run.
struct WorkspaceFanOut: Sendable {
    let database: Database
    let queue = JobQueue()

    /// Asks `workspaces` (a platform read: which workspaces have work of this kind) and
    /// enqueues `args` in each; returns how many were new.
    func enqueue<Args: JobArgs>(_ args: Args, uniqueKey: String,
                                inWorkspacesListedBy workspaces: (Transaction) async throws -> [UUID]) async throws -> Int {
        try await enqueue(args, uniqueKey: uniqueKey, in: try await database.platform(workspaces))
    }

    /// Enqueues `args` in each of `workspaceIDs` under `uniqueKey`; returns how many were new
    /// (a workspace whose previous job is still pending gets none).
    func enqueue<Args: JobArgs>(_ args: Args, uniqueKey: String, in workspaceIDs: [UUID]) async throws -> Int {
        var enqueued = 0
        for id in workspaceIDs {
            let job = try await database.inWorkspace(id) { try await queue.enqueue(args, in: id, on: $0, uniqueKey: uniqueKey) }
            if job != nil { enqueued += 1 }
        }
        return enqueued
    }
}
