import Foundation
import VigilCore
import Logging
import PostgresClient

/// Cluster-level statements for `vigil dev` and the benchmarks, which own their embedded
/// cluster: each runs on a single connection as the cluster's superuser, never as the
/// application role, and never against an operator's database.
public enum DatabaseProvisioning {
    /// Creates database `name` unless it exists.
    public static func createIfMissing(named name: String, adminConninfo: String, logger: Logger) async throws {
        try await withConnection(adminConninfo, logger: logger) { connection in
            let exists = try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(name)").count > 0
            if !exists { try await connection.simpleQuery("CREATE DATABASE \(quoted(name))") }
        }
    }

    /// Drops database `name` (disconnecting its sessions) and creates it empty.
    public static func recreate(named name: String, adminConninfo: String, logger: Logger) async throws {
        try await withConnection(adminConninfo, logger: logger) { connection in
            try await connection.simpleQuery("DROP DATABASE IF EXISTS \(quoted(name)) WITH (FORCE)")
            try await connection.simpleQuery("CREATE DATABASE \(quoted(name))")
        }
    }

    /// Applies the bundled migrations as the connecting (owner) login; returns what was applied.
    public static func migrate(conninfo: String, logger: Logger) async throws -> [String] {
        try await withConnection(conninfo, logger: logger) { connection in
            try await Migrator(files: try MigrationFile.bundled(), logger: logger).migrate(on: connection)
        }
    }

    /// Every bundled migration and its state in the database at `conninfo`.
    public static func status(conninfo: String, logger: Logger) async throws -> [Migrator.Status] {
        try await withConnection(conninfo, logger: logger) { connection in
            try await Migrator(files: try MigrationFile.bundled(), logger: logger).status(on: connection)
        }
    }

    /// How the database at `conninfo` compares with the bundled migrations (read-only).
    public static func verdict(conninfo: String, logger: Logger) async throws -> SchemaVerdict {
        try await withConnection(conninfo, logger: logger) { connection in
            try await Migrator(files: try MigrationFile.bundled(), logger: logger).verdict(on: connection)
        }
    }

    /// An identifier as a quoted SQL identifier (names come from the CLI, not from tenants).
    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func withConnection<T>(_ conninfo: String, logger: Logger,
                                          _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await PostgresConnection.connect(conninfo: conninfo, logger: logger)
        do {
            let value = try await body(connection)
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }
}
