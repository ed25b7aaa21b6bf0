import Foundation
import PostgresClient
import VigilCore

/// Erases every row of one workspace through `vigil_erase_workspace` (migration 0015), which
/// only the owner role may run: the transaction switches to `vigil_owner` for that one call,
/// which works when the login is a member of the owner (the migrating login) and fails with a
/// permission error for a runtime login that is not. The role and the transaction's workspace
/// setting are put back afterwards, so the caller can go on (e.g. append to the audit chain).
public struct WorkspaceErasureRepository: Sendable {
    public init() {}

    public func erase(workspaceID: UUID, on connection: Transaction) async throws -> [ErasedTable] {
        let previous = try await connection.query("SELECT current_setting('vigil.workspace_id', true) AS ws").first?
            .decode("ws", as: String?.self) ?? ""
        _ = try await connection.execute("SET LOCAL ROLE vigil_owner")
        let rows = try await connection.query("""
            SELECT table_name, rows_found, rows_remaining FROM vigil_erase_workspace(\(workspaceID))
            """)
        _ = try await connection.execute("SET LOCAL ROLE vigil_app")
        _ = try await connection.query("SELECT set_config('vigil.workspace_id', \(previous), true)")
        return try rows.map {
            ErasedTable(name: try $0.decode("table_name", as: String.self), found: try $0.decode("rows_found", as: Int.self),
                        remaining: try $0.decode("rows_remaining", as: Int.self))
        }
    }
}
