import Foundation
import PostgresClient

/// Daily time partitions of the registered partitioned tables (migration 0004's
/// `partitioned_tables`), created ahead and dropped once wholly expired, through SECURITY
/// DEFINER functions that refuse unregistered tables.
public struct PartitionRepository: Sendable {
    public init() {}

    /// The registered partitioned tables and the retention class of their rows.
    public func registered(on connection: Transaction) async throws -> [(parent: String, dataClass: String)] {
        try await connection.query("SELECT parent, data_class FROM partitioned_tables ORDER BY parent").map {
            (try $0.decode("parent", as: String.self), try $0.decode("data_class", as: String.self))
        }
    }

    /// Creates the missing daily partitions for the `days` days from `firstDay` (UTC); returns
    /// the names created.
    @discardableResult
    public func ensure(parent: String, firstDay: Date, days: Int, on connection: Transaction) async throws -> [String] {
        try await connection.query("""
            SELECT name FROM vigil_ensure_partitions(\(parent), (\(firstDay) AT TIME ZONE 'UTC')::date, \(days)::integer) AS name
            """).map { try $0.decode("name", as: String.self) }
    }

    /// Drops the partitions that end at or before `cutoff`, first moving the rows of `keeping`
    /// (the extended retention class) into the table's DEFAULT partition (migration 0027).
    /// Returns the dropped partitions and the rows removed per workspace (moved rows are not).
    public func dropExpired(parent: String, cutoff: Date, keeping: [UUID] = [], on connection: Transaction) async throws -> DroppedPartitions {
        var dropped = DroppedPartitions()
        for row in try await connection.query("""
            SELECT partition_name, workspace_id, removed
              FROM vigil_drop_expired_partitions(\(parent), \(cutoff), \(keeping.map { $0.uuidString.lowercased() })::uuid[])
            """) {
            let name = try row.decode("partition_name", as: String.self)
            if let workspace = try row.decode("workspace_id", as: UUID?.self) {
                dropped.rowsByWorkspace[workspace, default: 0] += try row.decode("removed", as: Int.self)
            } else {
                dropped.partitions.append(name)
            }
        }
        return dropped
    }
}

extension PartitionRepository {
    /// Validates the DEFAULT partitions' horizon constraints after drops moved them (a scan of
    /// those partitions only), so creating a daily partition does not scan them.
    public func validateHorizons(on connection: Transaction) async throws {
        try await connection.query("SELECT vigil_validate_partition_horizons()")
    }
}

public struct DroppedPartitions: Sendable, Equatable {
    public var partitions: [String] = []
    public var rowsByWorkspace: [UUID: Int] = [:]

    public init() {}
}
