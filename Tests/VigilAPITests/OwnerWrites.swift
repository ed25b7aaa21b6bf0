import Foundation

extension TestAPI {
    /// Runs `sql` in one transaction as the owner with `workspaceID` set, as Vigil's own writers
    /// (retention, compaction, erasure) do. `behindTheTriggers` disables triggers (replication
    /// role), so a version table never hears of the change: an answer that still shows the old
    /// data after it came from memory.
    func ownerWrite(_ sql: String, workspaceID: String, behindTheTriggers: Bool) async throws {
        let owner = try await db.ownerConnection()
        do {
            try await owner.simpleQuery("""
                BEGIN; SET LOCAL vigil.workspace_id = '\(workspaceID)';
                \(behindTheTriggers ? "SET LOCAL session_replication_role = replica;" : "") \(sql); COMMIT
                """)
        } catch {
            await owner.close()
            throw error
        }
        await owner.close()
    }
}
