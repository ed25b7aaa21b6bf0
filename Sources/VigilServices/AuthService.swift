import Foundation
import Logging
import VigilCore
import VigilRepositories

/// Credentials presented with a request: at most one key (Bearer or X-Monitoring-API-Key).
public struct Credentials: Sendable, Equatable {
    public var bearer: String?
    public var apiKeyHeader: String?

    public init(bearer: String?, apiKeyHeader: String?) {
        self.bearer = bearer
        self.apiKeyHeader = apiKeyHeader
    }

    var presented: String? { bearer ?? apiKeyHeader }
}

/// An authenticated caller inside one workspace.
public struct WorkspaceCaller: Sendable, Equatable {
    public var workspace: Workspace
    public var keyID: UUID
    public var role: ApiKeyRole

    public var actor: Actor { .apiKey(keyID) }
}

/// Authenticates keys and the platform admin token, and audits every failure.
public struct AuthService: Sendable {
    let database: Database
    let adminToken: String?
    let clock: WallClock
    let audit: AuditTrail
    let logger: Logger
    let workspaces = WorkspaceRepository()
    let keys = ApiKeyRepository()

    public init(database: Database, adminToken: String?, clock: WallClock, logger: Logger) {
        self.database = database
        self.adminToken = adminToken.flatMap { $0.isEmpty ? nil : $0 }
        self.clock = clock
        self.audit = AuditTrail(clock: clock)
        self.logger = logger
    }

    /// Platform routes: the presented bearer must equal VIGIL_ADMIN_TOKEN (compared in
    /// constant time). With no token configured, platform routes are closed.
    public func requireAdmin(_ credentials: Credentials, request: RequestMetadata) async throws {
        guard let adminToken, let presented = credentials.bearer, ConstantTime.equals(presented, adminToken) else {
            try await recordFailure(workspaceID: AuditTrail.platformWorkspaceID, reason: credentials.bearer == nil ? "missing_admin_token" : "bad_admin_token",
                                    request: request)
            throw ServiceError.unauthenticated("a valid platform admin token is required")
        }
    }

    /// Workspace routes: resolves `{workspace}` and checks the key belongs to it and holds `role`
    /// (nil: any valid key of the workspace).
    /// A valid key used on another workspace's path gets `notFound`, exactly as if that
    /// workspace did not exist, so ids cannot be probed.
    public func requireKey(_ credentials: Credentials, workspace reference: String, role required: ApiKeyRole?,
                           request: RequestMetadata) async throws -> WorkspaceCaller {
        guard let raw = credentials.presented else {
            try await recordFailure(workspaceReference: reference, reason: "missing_key", request: request)
            throw ServiceError.unauthenticated("an API key is required (Authorization: Bearer <key>)")
        }
        guard let token = ApiKeyToken(parsing: raw) else {
            try await recordFailure(workspaceReference: reference, reason: "malformed_key", request: request)
            throw ServiceError.unauthenticated("the API key is not valid")
        }
        let now = clock.now()
        let found = try await database.inWorkspace(token.workspaceID) { connection -> (Workspace?, ApiKey?) in
            let key = try await keys.find(workspaceID: token.workspaceID, hash: token.hash, on: connection)
            let workspace = try await workspaces.find(id: token.workspaceID, on: connection)
            if let key, KeyCheck.evaluate(key, at: now) == .accepted {
                try await keys.touch(workspaceID: key.workspaceID, id: key.id, on: connection)
            }
            return (workspace, key)
        }
        let outcome = KeyCheck.evaluate(found.1, at: now)
        guard outcome == .accepted, let workspace = found.0, let key = found.1 else {
            try await recordFailure(workspaceID: found.0 == nil ? AuditTrail.platformWorkspaceID : token.workspaceID,
                                    reason: "key_\(outcome.rawValue)", request: request, keyID: found.1?.id)
            throw ServiceError.unauthenticated("the API key is not valid, expired or revoked")
        }
        guard reference == workspace.slug || UUID(uuidString: reference) == workspace.id else {
            throw ServiceError.notFound(reference.count <= 100 ? "workspace '\(reference)' was not found" : "workspace was not found")
        }
        if let required, !key.role.permits(required) {
            try await database.inWorkspace(workspace.id) { connection in
                try await audit.record(workspaceID: workspace.id, actor: .apiKey(key.id), action: "auth.forbidden",
                                       resourceType: "api_key", resourceID: key.id.uuidString.lowercased(),
                                       details: ["required_role": required.rawValue, "role": key.role.rawValue],
                                       request: request, on: connection)
            }
            throw ServiceError.forbidden("this operation needs the \(required.rawValue) role; the key has \(key.role.rawValue)")
        }
        return WorkspaceCaller(workspace: workspace, keyID: key.id, role: key.role)
    }

    /// Failed authentication on a path naming `reference`: audited in that workspace when it
    /// exists, else in the platform log.
    private func recordFailure(workspaceReference reference: String, reason: String, request: RequestMetadata) async throws {
        let workspaceID = try await database.platform { connection in
            try await workspaces.find(reference: reference, on: connection)?.id
        }
        try await recordFailure(workspaceID: workspaceID ?? AuditTrail.platformWorkspaceID, reason: reason, request: request)
    }

    private func recordFailure(workspaceID: UUID, reason: String, request: RequestMetadata, keyID: UUID? = nil) async throws {
        logger.notice("authentication failed", metadata: ["reason": "\(reason)", "correlation_id": "\(request.correlationID)"])
        try await database.inWorkspace(workspaceID) { connection in
            try await audit.record(workspaceID: workspaceID, actor: .anonymous, action: "auth.failed",
                                   resourceType: keyID == nil ? "request" : "api_key", resourceID: keyID?.uuidString.lowercased(),
                                   details: ["reason": reason], request: request, on: connection)
        }
    }
}
