import Foundation
import VigilCore

/// One `NNNN_name.sql` file from migrations/.
public struct MigrationFile: Sendable, Equatable {
    public var version: Int
    public var name: String        // the file name, e.g. 0001_foundation.sql
    public var sql: String
    public var checksum: String    // SHA-256 (hex) of the file's bytes

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = SHA256Hex.hex(of: sql)
    }

    /// The marker of an expand-only migration, in the file's leading comment lines: the
    /// previous release runs against the schema it leaves (see `SchemaVerdict`).
    public static let backwardCompatibleMarker = "-- vigil: backward-compatible"

    public var isBackwardCompatible: Bool {
        sql.split(separator: "\n", omittingEmptySubsequences: false)
            .prefix(while: { $0.hasPrefix("--") || $0.trimmingCharacters(in: .whitespaces).isEmpty })
            .contains { $0.trimmingCharacters(in: .whitespaces) == Self.backwardCompatibleMarker }
    }

    /// What `SchemaVerdict` needs to know of this file.
    public var known: SchemaVerdict.Known { SchemaVerdict.Known(version: version, name: name, checksum: checksum) }

    /// Reads every `NNNN_*.sql` in `directory`, ordered by version. Two files with one version
    /// are an error: the order would be ambiguous.
    public static func load(from directory: URL) throws -> [MigrationFile] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        var files: [MigrationFile] = []
        for name in names where name.hasSuffix(".sql") {
            guard let version = Int(name.prefix(while: \.isNumber)), name.prefix(while: \.isNumber).count == 4,
                  name.dropFirst(4).hasPrefix("_")
            else { throw MigrationError.badFileName(name) }
            let sql = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            files.append(MigrationFile(version: version, name: name, sql: sql))
        }
        files.sort { $0.version < $1.version }
        for (a, b) in zip(files, files.dropFirst()) where a.version == b.version {
            throw MigrationError.duplicateVersion(a.name, b.name)
        }
        return files
    }

    /// The migrations shipped with this build (a copy of migrations/ in the resource bundle),
    /// or `VIGIL_MIGRATIONS_DIR` when set.
    public static func bundled() throws -> [MigrationFile] {
        if let dir = ProcessInfo.processInfo.environment["VIGIL_MIGRATIONS_DIR"], !dir.isEmpty {
            return try load(from: URL(fileURLWithPath: dir))
        }
        guard let url = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw MigrationError.missingBundle
        }
        return try load(from: url)
    }
}

public enum MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    case badFileName(String)
    case duplicateVersion(String, String)
    case missingBundle
    case checksumMismatch(file: String)
    case appliedButMissing(version: Int, name: String)

    public var description: String {
        switch self {
        case .badFileName(let name): return "migration file '\(name)' is not named NNNN_description.sql"
        case .duplicateVersion(let a, let b): return "migrations '\(a)' and '\(b)' share a version number"
        case .missingBundle: return "the migrations bundle is missing from this build"
        case .checksumMismatch(let file):
            return "migration '\(file)' was edited after it was applied (checksum differs); add a new migration instead"
        case .appliedButMissing(let version, let name):
            return "migration \(version) ('\(name)') is applied in the database but missing from this build, "
                + "and it is not marked backward-compatible: this binary is older than the schema"
        }
    }
}
