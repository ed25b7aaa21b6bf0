import Foundation
import VigilCore
import Logging
import PostgresClient

/// Applies migrations in order, each in its own transaction, under an advisory lock so that
/// several processes starting at once (API replicas, workers) migrate exactly once.
public struct Migrator: Sendable {
    /// `ahead`: applied, but newer than this binary (a later release's migration).
    public enum State: String, Sendable { case applied, pending, modified, ahead }

    public struct Status: Sendable, Equatable {
        public var version: Int
        public var name: String
        public var state: State
        public var appliedAt: Date?
        /// Recorded when applied: whether the previous release runs against it.
        public var backwardCompatible = false
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
                        INSERT INTO schema_migrations (version, name, checksum, backward_compatible)
                        VALUES (\(file.version), \(file.name), \(file.checksum), \(file.isBackwardCompatible))
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
    /// Read-only, so a login that may not create tables can ask it (`vigil migrate --check`
    /// in the API and worker units): a database never migrated has every migration pending.
    public func status(on connection: PostgresConnection) async throws -> [Status] {
        var applied: [Int: (record: SchemaVerdict.Applied, at: Date)] = [:]
        for row in try await Self.ledger(on: connection) { applied[row.record.version] = row }
        var result = files.map { file -> Status in
            guard let (record, at) = applied[file.version] else { return Status(version: file.version, name: file.name, state: .pending) }
            return Status(version: file.version, name: file.name, state: record.checksum == file.checksum ? .applied : .modified,
                          appliedAt: at, backwardCompatible: record.backwardCompatible)
        }
        let known = Set(files.map(\.version))
        for (version, (record, at)) in applied where !known.contains(version) {
            result.append(Status(version: version, name: record.name, state: .ahead, appliedAt: at, backwardCompatible: record.backwardCompatible))
        }
        return result.sorted { $0.version < $1.version }
    }

    /// The database's migrations against this build's (read-only, like `status`).
    public func verdict(on connection: PostgresConnection) async throws -> SchemaVerdict {
        SchemaVerdict.of(known: files.map(\.known), applied: try await Self.ledger(on: connection).map(\.record))
    }

    /// The applied migrations, read-only: none when the ledger does not exist yet. The
    /// compatibility flag is read through to_jsonb so a ledger from before it existed reads as
    /// "not compatible" instead of failing.
    static func ledger(on connection: PostgresConnection) async throws -> [(record: SchemaVerdict.Applied, at: Date)] {
        let present = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        guard try present.first?.decode("present", as: Bool.self) == true else { return [] }
        return try await connection.query("""
            SELECT version, name, checksum, applied_at,
                   coalesce((to_jsonb(m) ->> 'backward_compatible')::boolean, false) AS backward_compatible
              FROM schema_migrations m ORDER BY version
            """).map { row in
            (SchemaVerdict.Applied(version: try row.decode("version", as: Int.self), name: try row.decode("name", as: String.self),
                                   checksum: try row.decode("checksum", as: String.self),
                                   backwardCompatible: try row.decode("backward_compatible", as: Bool.self)),
             try row.decode("applied_at", as: Date.self))
        }
    }

    private func prepare(on connection: PostgresConnection) async throws -> [Int: String] {
        try await ensureTable(on: connection)
        let records = try await Self.ledger(on: connection).map(\.record)
        var applied: [Int: String] = [:]
        for record in records { applied[record.version] = record.checksum }
        for file in files {
            if let checksum = applied[file.version], checksum != file.checksum {
                throw MigrationError.checksumMismatch(file: file.name)
            }
        }
        // A newer release's migrations are fine for this (older) binary when they only expanded
        // the schema; any other is a schema this binary does not understand.
        let known = Set(files.map(\.version))
        if let newer = records.first(where: { !known.contains($0.version) && !$0.backwardCompatible }) {
            throw MigrationError.appliedButMissing(version: newer.version, name: newer.name)
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
            );
            ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS backward_compatible boolean NOT NULL DEFAULT false
            """)
    }
}
