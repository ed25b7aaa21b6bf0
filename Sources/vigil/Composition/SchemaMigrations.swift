import Foundation
import Logging
import VigilCore
import VigilRepositories

/// The bundled migrations' states, for `vigil migrate --status`. Part of the composition root:
/// commands call this, never the Migrator.
enum SchemaMigrations {
    /// One line per migration: its state, name and when it was applied.
    struct Row {
        var state: String
        var name: String
        var appliedAt: Date?
        var isModified: Bool
    }

    /// The newest bundled migration's file name: the schema this binary expects.
    static func latest() throws -> String {
        try MigrationFile.bundled().last?.name ?? "none"
    }

    static func verdict(databaseURL: String, logger: Logger) async throws -> SchemaVerdict {
        try await DatabaseProvisioning.verdict(conninfo: databaseURL, logger: logger)
    }

    static func status(databaseURL: String, logger: Logger) async throws -> [Row] {
        try await DatabaseProvisioning.status(conninfo: databaseURL, logger: logger).map {
            Row(state: $0.state.rawValue, name: $0.name, appliedAt: $0.appliedAt, isModified: $0.state == .modified)
        }
    }
}
