import Foundation
import PostgresClient
import VigilCore

/// The shared per-minute allowances (`workspace_usage`, migration 0013) and the operator's
/// per-workspace limit overrides (`workspace_limit_overrides`).
public struct WorkspaceUsageRepository: Sendable {
    public init() {}

    /// Grants up to `want` of the minute's `allowance` for `meter`, never more than is left,
    /// and returns what was granted (0 when the allowance is spent). The row lock of the
    /// upsert serialises concurrent grants from every process.
    public func grant(_ want: Int, of allowance: Int, meter: String, window: Date, workspaceID: UUID,
                      on connection: Transaction) async throws -> Int {
        let rows = try await connection.query("""
            INSERT INTO workspace_usage AS u (workspace_id, meter, window_start, granted, last_grant)
            VALUES (\(workspaceID), \(meter), \(window), least(\(want), \(allowance)), least(\(want), \(allowance)))
            ON CONFLICT (workspace_id, meter, window_start) DO UPDATE
               SET last_grant = least(\(want), greatest(\(allowance) - u.granted, 0)),
                   granted = u.granted + least(\(want), greatest(\(allowance) - u.granted, 0))
            RETURNING last_grant, (xmax = 0) AS inserted
            """)
        guard let row = rows.first else { return 0 }
        if try row.decode("inserted", as: Bool.self) {
            // The first grant of a new minute in this workspace: drop what is over an hour old.
            try await connection.query("""
                DELETE FROM workspace_usage WHERE workspace_id = \(workspaceID) AND meter = \(meter)
                   AND window_start < \(window.addingTimeInterval(-3_600))
                """)
        }
        return Int(try row.decode("last_grant", as: Int64.self))
    }

    /// What was granted in the minute starting at `window`, by meter.
    public func granted(in window: Date, workspaceID: UUID, on connection: Transaction) async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try await connection.query("""
            SELECT meter, granted FROM workspace_usage WHERE workspace_id = \(workspaceID) AND window_start = \(window)
            """) {
            result[try row.decode("meter", as: String.self)] = Int(try row.decode("granted", as: Int64.self))
        }
        return result
    }

    /// The stored overrides by name (empty when none).
    public func overrides(workspaceID: UUID, on connection: Transaction) async throws -> [String: Int] {
        guard let row = try await connection.query("""
            SELECT limits FROM workspace_limit_overrides WHERE workspace_id = \(workspaceID)
            """).first else { return [:] }
        return try row.decode("limits", as: PostgresJSON.self).decode([String: Int].self)
    }

    /// Replaces the overrides; an empty set deletes the row.
    public func saveOverrides(_ limits: [String: Int], workspaceID: UUID, at now: Date, on connection: Transaction) async throws {
        if limits.isEmpty {
            try await connection.query("DELETE FROM workspace_limit_overrides WHERE workspace_id = \(workspaceID)")
            return
        }
        try await connection.query("""
            INSERT INTO workspace_limit_overrides (workspace_id, limits, updated_at)
            VALUES (\(workspaceID), \(try PostgresJSON(encoding: limits)), \(now))
            ON CONFLICT (workspace_id) DO UPDATE SET limits = EXCLUDED.limits, updated_at = EXCLUDED.updated_at
            """)
    }
}
