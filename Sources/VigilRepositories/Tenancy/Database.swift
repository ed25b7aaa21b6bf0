import Foundation
import Logging
import PostgresClient
import VigilCore
import VigilPrimitives

/// The application's handle on PostgreSQL. Every tenant access goes through `inWorkspace`,
/// which opens a transaction and sets `vigil.workspace_id` with SET LOCAL semantics, so the
/// row-level security policies confine every statement in it to that workspace — a missing
/// `WHERE workspace_id` cannot leak another tenant's rows. The setting dies with the
/// transaction, which keeps it safe behind PgBouncer in transaction mode.
///
/// Callers above this layer see only the opaque `Transaction` and `StorageError`: the driver
/// (`PostgresClient`) is an implementation detail of the repositories.
public struct Database: Sendable {
    let pool: PostgresPool

    /// SQL run on every new pooled connection: drop to the application role, which does not
    /// own the tables, so row-level security applies even when DATABASE_URL names a
    /// superuser or the owner (usual in development).
    public static let applicationSessionSetup = ["SET ROLE vigil_app"]

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Runs `body` in one transaction confined to `workspaceID`.
    public func inWorkspace<T: Sendable>(_ workspaceID: UUID, _ body: (Transaction) async throws -> T) async throws -> T {
        try await StorageError.translating {
            try await pool.withTransaction { connection in
                let transaction = Transaction(connection)
                try await transaction.query("SELECT set_config('vigil.workspace_id', \(workspaceID.uuidString.lowercased()), true)")
                return try await body(transaction)
            }
        }
    }

    /// Runs `body` in one transaction with no workspace set: only platform tables
    /// (workspaces, heartbeats) are visible.
    public func platform<T: Sendable>(_ body: (Transaction) async throws -> T) async throws -> T {
        try await StorageError.translating {
            try await pool.withTransaction { try await body(Transaction($0)) }
        }
    }

    /// The connection pool's current use, for health reports and `/metrics`.
    public var poolUsage: PoolUsage { pool.statistics }
}
