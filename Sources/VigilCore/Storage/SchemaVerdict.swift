/// How a database's applied migrations compare with the ones a binary was built with — the
/// decision behind `/readyz`, `vigil migrate --check` and rolling back to an older binary.
///
/// Migrations follow the expand/contract rule (docs/operations.md): one marked
/// backward-compatible only expands the schema (new tables, nullable columns, indexes,
/// functions, policies the older code never meets), so the previous release runs against it
/// unchanged; anything that renames, drops, tightens or rewrites is unmarked and ships a
/// release after the code stopped depending on the old shape.
public enum SchemaVerdict: Sendable, Equatable {
    /// Exactly this binary's migrations.
    case current
    /// This binary's migrations, plus newer ones that are all marked backward-compatible: an
    /// older binary may run here (a rollback that keeps the data).
    case aheadCompatible([String])
    /// Newer migrations of which some are not backward-compatible (named): this binary must not run.
    case aheadIncompatible([String])
    /// Migrations of this binary not yet applied (named).
    case pending([String])
    /// Applied migrations whose file in this binary differs (named).
    case modified([String])

    /// What the binary knows of a migration.
    public struct Known: Sendable, Equatable {
        public var version: Int
        public var name: String
        public var checksum: String
        public init(version: Int, name: String, checksum: String) {
            self.version = version
            self.name = name
            self.checksum = checksum
        }
    }

    /// What the database recorded when a migration was applied.
    public struct Applied: Sendable, Equatable {
        public var version: Int
        public var name: String
        public var checksum: String
        public var backwardCompatible: Bool
        public init(version: Int, name: String, checksum: String, backwardCompatible: Bool) {
            self.version = version
            self.name = name
            self.checksum = checksum
            self.backwardCompatible = backwardCompatible
        }
    }

    /// A modified migration outranks pending ones, which outrank newer ones: each is the first
    /// thing an operator has to fix.
    public static func of(known: [Known], applied: [Applied]) -> SchemaVerdict {
        let byVersion = Dictionary(applied.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        let modified = known.filter { file in byVersion[file.version].map { $0.checksum != file.checksum } ?? false }
        if !modified.isEmpty { return .modified(modified.map(\.name)) }
        let pending = known.filter { byVersion[$0.version] == nil }
        if !pending.isEmpty { return .pending(pending.map(\.name)) }
        let knownVersions = Set(known.map(\.version))
        let ahead = applied.filter { !knownVersions.contains($0.version) }.sorted { $0.version < $1.version }
        if ahead.isEmpty { return .current }
        let incompatible = ahead.filter { !$0.backwardCompatible }
        return incompatible.isEmpty ? .aheadCompatible(ahead.map(\.name)) : .aheadIncompatible(incompatible.map(\.name))
    }

    /// Whether a process of this binary may serve against the database.
    public var mayRun: Bool {
        switch self {
        case .current, .aheadCompatible: true
        case .aheadIncompatible, .pending, .modified: false
        }
    }
}
