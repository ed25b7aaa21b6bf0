import Foundation
import Logging
import PostgresClient

/// Applies migrations in order, each in its own transaction, under an advisory lock so that
/// several processes starting at once (API replicas, workers) migrate exactly once.
public struct Migrator: Sendable {
    public enum State: String, Sendable { case applied, pending, modified }

    public struct Status: Sendable, Equatable {
        public var version: Int
        public var name: String
        public var state: State
        public var appliedAt: Date?
    }

    /// Arbitrary constant identifying Vigil's migration lock.
    static let lockKey: Int64 = 0x5649_4749_4C4D_4947

    public let files: [MigrationFile]
    let logger: Logger

    public init(files: [MigrationFile], logger: Logger) {
        self.files = files
        self.logger = logger
    }

    /// Applies pending migrations; returns the names applied. Throws, naming the file, when an
    /// applied migration's file has changed.
    @discardableResult
    public func migrate(on connection: PostgresConnection) async throws -> [String] {
        try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))")
        do {
            let applied = try await prepare(on: connection)
            var done: [String] = []
            for file in files where applied[file.version] == nil {
                logger.info("applying migration", metadata: ["migration": "\(file.name)"])
                try await connection.simpleQuery("BEGIN")
                do {
                    try await connection.simpleQuery(file.sql)
                    // A migration may SET LOCAL ROLE vigil_owner; record it as the migrating user.
                    try await connection.simpleQuery("RESET ROLE")
                    try await connection.query("""
                        INSERT INTO schema_migrations (version, name, checksum) VALUES (\(file.version), \(file.name), \(file.checksum))
                        """)
                    try await connection.simpleQuery("COMMIT")
                } catch {
                    try? await connection.simpleQuery("ROLLBACK")  // best-effort: the migration's own error is the one to report
                    throw error
                }
                done.append(file.name)
            }
            try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))")
            return done
        } catch {
            // Best-effort: the original error matters; the lock goes with the session anyway.
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))")
            throw error
        }
    }

    /// Every known migration with its state, without changing anything.
    public func status(on connection: PostgresConnection) async throws -> [Status] {
        try await ensureTable(on: connection)
        let rows = try await connection.query("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version")
        var applied: [Int: (name: String, checksum: String, at: Date)] = [:]
        for row in rows {
            applied[try row.decode("version", as: Int.self)] = (try row.decode("name", as: String.self),
                                                                try row.decode("checksum", as: String.self),
                                                                try row.decode("applied_at", as: Date.self))
        }
        var result = files.map { file -> Status in
            guard let record = applied[file.version] else { return Status(version: file.version, name: file.name, state: .pending) }
            return Status(version: file.version, name: file.name, state: record.checksum == file.checksum ? .applied : .modified,
                          appliedAt: record.at)
        }
        let known = Set(files.map(\.version))
        for (version, record) in applied where !known.contains(version) {
            result.append(Status(version: version, name: record.name, state: .applied, appliedAt: record.at))
        }
        return result.sorted { $0.version < $1.version }
    }

    /// Whether the database is at exactly this build's migrations (used by /readyz).
    public static func isCurrent(applied: [Int: String], files: [MigrationFile]) -> Bool {
        files.allSatisfy { applied[$0.version] == $0.checksum }
    }

    private func prepare(on connection: PostgresConnection) async throws -> [Int: String] {
        try await ensureTable(on: connection)
        let rows = try await connection.query("SELECT version, name, checksum FROM schema_migrations")
        var applied: [Int: String] = [:]
        var names: [Int: String] = [:]
        for row in rows {
            let version = try row.decode("version", as: Int.self)
            applied[version] = try row.decode("checksum", as: String.self)
            names[version] = try row.decode("name", as: String.self)
        }
        for file in files {
            if let checksum = applied[file.version], checksum != file.checksum {
                throw MigrationError.checksumMismatch(file: file.name)
            }
        }
        let known = Set(files.map(\.version))
        if let missing = applied.keys.sorted().first(where: { !known.contains($0) }) {
            throw MigrationError.appliedButMissing(version: missing, name: names[missing] ?? "?")
        }
        return applied
    }

    private func ensureTable(on connection: PostgresConnection) async throws {
        try await connection.simpleQuery("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     integer PRIMARY KEY,
                name        text NOT NULL,
                checksum    text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            )
            """)
    }
}
