import Foundation
import VigilCore
import VigilRepositories

/// A key exactly as shown once at creation: the stored record plus its secret.
public struct IssuedApiKey: Sendable, Equatable {
    public var key: ApiKey
    public var secret: String
}

public struct WorkspaceCreation: Sendable, Equatable {
    public var name: String
    public var slug: String?
    public var settings: WorkspaceSettings

    public init(name: String, slug: String?, settings: WorkspaceSettings) {
        self.name = name
        self.slug = slug
        self.settings = settings
    }
}

public struct WorkspaceService: Sendable {
    let database: Database
    let clock: WallClock
    let audit: AuditTrail
    let workspaces = WorkspaceRepository()
    let keys: ApiKeyService

    /// This process's cache of verified keys, which also holds workspace records.
    let verifiedKeys: VerifiedKeyCache?

    /// Bounds the retention a workspace may set (`WorkspaceLimits.maxRetentionDays`); nil: no bound.
    let limits: WorkspaceLimitPolicy?

    public init(database: Database, clock: WallClock, verifiedKeys: VerifiedKeyCache? = nil, limits: WorkspaceLimitPolicy? = nil) {
        self.limits = limits
        self.database = database
        self.clock = clock
        self.audit = AuditTrail(clock: clock)
        self.verifiedKeys = verifiedKeys
        self.keys = ApiKeyService(database: database, clock: clock, verifiedKeys: verifiedKeys)
    }

    /// Creates a workspace and its first admin key, audited, in one transaction.
    public func create(_ request: WorkspaceCreation, actor: Actor, metadata: RequestMetadata) async throws -> (Workspace, IssuedApiKey) {
        let name: String
        do { name = try DisplayName.validated(request.name) } catch { throw ServiceError(error) }
        let slug: String
        if let given = request.slug {
            guard Slug.isValid(given) else {
                throw ServiceError.invalid(field: "slug", message: "slug must be 1-63 lower-case letters, digits or dashes, starting with a letter or digit")
            }
            slug = given
        } else {
            guard let derived = Slug.derive(from: name) else {
                throw ServiceError.invalid(field: "slug", message: "no slug can be derived from the name; give one")
            }
            slug = derived
        }
        if let failure = request.settings.validate() { throw ServiceError(failure) }
        if let failure = limits?.defaults.admitsRetention(request.settings.retentionDays, replacing: .init()) { throw ServiceError(failure) }

        let workspace = Workspace(id: UUID(), slug: slug, name: name, settings: request.settings, createdAt: clock.currentMicrosecondTime())
        do {
            return try await database.inWorkspace(workspace.id) { connection in
                try await workspaces.insert(workspace, on: connection)
                try await audit.record(workspaceID: workspace.id, actor: actor, action: "workspace.create", resourceType: "workspace",
                                       resourceID: workspace.id.uuidString.lowercased(), details: ["slug": slug, "name": name],
                                       request: metadata, on: connection)
                let issued = try await keys.issue(in: workspace.id, name: "initial admin key", role: .admin, expiresAt: nil,
                                                  actor: actor, metadata: metadata, on: connection)
                return (workspace, issued)
            }
        } catch let error as StorageError where error.kind == .conflict {
            throw ServiceError.conflict("a workspace with slug '\(slug)' already exists")
        }
    }

    public func list(limit: Int?, cursor: String?) async throws -> Page<Workspace> {
        try await paged(limit: limit, cursor: cursor, position: { TimeCursor(createdAt: $0.createdAt, id: $0.id) }) { page in
            try await database.platform { try await workspaces.list(limit: page.limit, after: page.cursor, on: $0) }
        }
    }
}

extension WorkspaceService {
    /// Looks a workspace up by id or slug, for operators (the CLI); API callers get theirs
    /// through authentication instead.
    public func find(reference: String) async throws -> Workspace {
        guard let workspace = try await database.platform({ try await workspaces.find(reference: reference, on: $0) }) else {
            throw ServiceError.notFound("workspace '\(reference)' was not found")
        }
        return workspace
    }
}

/// A change to a workspace; nil fields stay as they are.
public struct WorkspaceChange: Sendable, Equatable {
    public var name: String?
    public var settings: WorkspaceSettings?

    public init(name: String? = nil, settings: WorkspaceSettings? = nil) {
        self.name = name
        self.settings = settings
    }
}

extension WorkspaceService {
    /// Renames or re-configures a workspace, audited with the fields that changed.
    public func update(_ workspace: Workspace, with change: WorkspaceChange, actor: Actor, metadata: RequestMetadata) async throws -> Workspace {
        var updated = workspace
        if let name = change.name {
            do { updated.name = try DisplayName.validated(name) } catch { throw ServiceError(error) }
        }
        if let settings = change.settings {
            if let failure = settings.validate() { throw ServiceError(failure) }
            if let limits, let failure = try await limits.limits(for: workspace.id)
                .admitsRetention(settings.retentionDays, replacing: workspace.settings.retentionDays) {
                throw ServiceError(failure)
            }
            updated.settings = settings
        }
        var details: [String: String] = [:]
        if updated.name != workspace.name { details["name"] = updated.name }
        if updated.settings != workspace.settings {
            details["settings"] = String(decoding: try JSONEncoder.sortedKeys.encode(updated.settings), as: UTF8.self)
        }
        guard !details.isEmpty else { return workspace }
        try await database.inWorkspace(workspace.id) { connection in
            try await workspaces.update(updated, on: connection)
            try await audit.record(workspaceID: workspace.id, actor: actor, action: "workspace.update", resourceType: "workspace",
                                   resourceID: workspace.id.uuidString.lowercased(), details: details, request: metadata, on: connection)
        }
        // Cached callers carry the workspace record: the next request on this process reads
        // the new settings (other processes within the cache's time to live).
        verifiedKeys?.forgetWorkspace(workspace.id)
        return updated
    }
}

extension JSONEncoder {
    /// Deterministic output (audit details are hashed).
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension WorkspaceService {
    /// Offboards a tenant: every row of the workspace erased in one transaction, the workspace
    /// row last, and a certificate of what was found and that nothing remains. The platform
    /// audit chain records the deletion with the certificate's checksum in the same
    /// transaction, so there is no erasure without its record. Operators only (the CLI, with a
    /// login that is a member of the owner role).
    public func delete(_ workspace: Workspace, actor: Actor, metadata: RequestMetadata) async throws -> WorkspaceErasureCertificate {
        let certificate = try await database.inWorkspace(AuditTrail.platformWorkspaceID) { connection in
            let tables = try await WorkspaceErasureRepository().erase(workspaceID: workspace.id, on: connection)
            let certificate = WorkspaceErasureCertificate(workspaceID: workspace.id, slug: workspace.slug, tables: tables,
                                                          erasedAt: clock.now())
            guard certificate.isComplete else {
                throw ServiceError.conflict("the erasure of '\(workspace.slug)' left \(certificate.totalRemaining) rows; nothing was committed")
            }
            try await audit.record(workspaceID: AuditTrail.platformWorkspaceID, actor: actor, action: "workspace.delete",
                                   resourceType: "workspace", resourceID: workspace.id.uuidString.lowercased(),
                                   details: ["slug": workspace.slug, "rows": String(certificate.totalFound),
                                             "certificate_sha256": certificate.checksum],
                                   request: metadata, on: connection)
            return certificate
        }
        verifiedKeys?.forgetWorkspace(workspace.id)
        return certificate
    }
}
