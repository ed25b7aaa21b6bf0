import Foundation
import VigilPrimitives

/// One tenant table's rows of an erased workspace: found before, remaining after (0 unless
/// something could not be erased).
public struct ErasedTable: Sendable, Equatable {
    public var name: String
    public var found: Int
    public var remaining: Int

    public init(name: String, found: Int, remaining: Int) {
        self.name = name
        self.found = found
        self.remaining = remaining
    }
}

/// Proof of a tenant's offboarding (`vigil workspace delete`): which workspace, when, and per
/// table how many rows it had and that none remain — with a SHA-256 over the certificate's
/// canonical JSON (RFC 8785) without its `checksum` member, as for subject erasures. The
/// platform audit chain records the checksum, so the certificate cannot be altered unnoticed.
public struct WorkspaceErasureCertificate: Sendable, Equatable {
    public static let formatVersion: Int64 = 1

    public var workspaceID: UUID
    public var slug: String
    /// Sorted by table name.
    public var tables: [ErasedTable]
    /// When the erasure committed (whole seconds).
    public var erasedAt: Date
    public private(set) var checksum: String

    public init(workspaceID: UUID, slug: String, tables: [ErasedTable], erasedAt: Date) {
        self.workspaceID = workspaceID
        self.slug = slug
        self.tables = tables.sorted { $0.name < $1.name }
        self.erasedAt = ComplianceTime.truncated(erasedAt)
        self.checksum = ""
        self.checksum = SHA256Hex.hex(of: canonicalJSON(includingChecksum: false).bytes)
    }

    public var totalFound: Int { tables.reduce(0) { $0 + $1.found } }
    public var totalRemaining: Int { tables.reduce(0) { $0 + $1.remaining } }

    /// Nothing of the workspace is left, the workspace row included.
    public var isComplete: Bool { totalRemaining == 0 && tables.contains { $0.name == "workspaces" && $0.found == 1 } }

    public func canonicalJSON(includingChecksum: Bool = true) -> CanonicalJSON {
        var members: [String: CanonicalJSON] = [
            "format_version": .int(Self.formatVersion),
            "kind": .string("workspace_erasure"),
            "workspace_id": .string(workspaceID.uuidString.lowercased()),
            "slug": .string(slug),
            "erased_at": .string(ComplianceTime.format(erasedAt)),
            "tables": .array(tables.map {
                .object(["table": .string($0.name), "found": .int(Int64($0.found)), "remaining": .int(Int64($0.remaining))])
            }),
            "totals": .object(["found": .int(Int64(totalFound)), "remaining": .int(Int64(totalRemaining))]),
        ]
        if includingChecksum { members["checksum"] = .string(checksum) }
        return .object(members)
    }
}
