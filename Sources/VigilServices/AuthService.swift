import Foundation
import Logging
import Synchronization
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

/// Authenticates keys and the platform admin token. Failures are throttled and counted in
/// memory before any database work (`AuthThrottle`) and recorded in aggregate in
/// `auth_failures` (`AuthFailureLog`), never as one audit-chain row per attempt: a flood of bad
/// keys must not exhaust the pool, serialise a workspace's audited writes or grow its chain.
public struct AuthService: Sendable {
    let database: Database
    let adminToken: String?
    let clock: WallClock
    let audit: AuditTrail
    let logger: Logger
    let throttle: AuthThrottle
    let failures: AuthFailureLog
    let workspaces = WorkspaceRepository()
    let keys = ApiKeyRepository()

    public init(database: Database, adminToken: String?, clock: WallClock, logger: Logger,
                limits: AuthFailureLimits = AuthFailureLimits()) {
        self.database = database
        self.adminToken = adminToken.flatMap { $0.isEmpty ? nil : $0 }
        self.clock = clock
        self.audit = AuditTrail(clock: clock)
        self.logger = logger
        self.throttle = AuthThrottle(limits: limits)
        self.failures = AuthFailureLog(database: database, logger: logger, flushInterval: limits.flushIntervalSeconds)
    }

    /// Platform routes: the presented bearer must equal VIGIL_ADMIN_TOKEN (compared in
    /// constant time). With no token configured, platform routes are closed.
    public func requireAdmin(_ credentials: Credentials, request: RequestMetadata) async throws {
        let now = clock.now()
        let ticket = try throttle.admit(ip: request.sourceIP, workspace: nil, keyHash: nil, now: now)
        guard let adminToken, let presented = credentials.bearer, ConstantTime.equals(presented, adminToken) else {
            await recordFailure(.workspace(AuditTrail.platformWorkspaceID), reason: credentials.bearer == nil ? "missing_admin_token" : "bad_admin_token",
                                request: request, at: now)
            throw ServiceError.unauthenticated("a valid platform admin token is required")
        }
        throttle.succeeded(ticket, keyHash: nil, now: now)
    }

    /// Workspace routes: resolves `{workspace}` and checks the key belongs to it and holds `role`
    /// (nil: any valid key of the workspace).
    /// A valid key used on another workspace's path gets `notFound`, exactly as if that
    /// workspace did not exist, so ids cannot be probed; the probe is recorded in the key's own
    /// workspace (`cross_workspace_probe`).
    public func requireKey(_ credentials: Credentials, workspace reference: String, role required: ApiKeyRole?,
                           request: RequestMetadata) async throws -> WorkspaceCaller {
        let now = clock.now()
        let token = credentials.presented.flatMap(ApiKeyToken.init(parsing:))
        // The workspace whose bucket pays: the one the key names (its lookup runs there), else the path's.
        let bucket = token.map { $0.workspaceID.uuidString.lowercased() } ?? String(reference.lowercased().prefix(100))
        let ticket = try throttle.admit(ip: request.sourceIP, workspace: bucket, keyHash: token?.hash, now: now)
        guard credentials.presented != nil else {
            await recordFailure(pathTarget(reference), reason: "missing_key", request: request, at: now)
            throw ServiceError.unauthenticated("an API key is required (Authorization: Bearer <key>)")
        }
        guard let token else {
            await recordFailure(pathTarget(reference), reason: "malformed_key", request: request, at: now)
            throw ServiceError.unauthenticated("the API key is not valid")
        }
        let hash = token.hash
        if let known = throttle.knownBad(hash, now: now) {
            throttle.negativeCacheHits.add(1, ordering: .relaxed)
            await recordFailure(known.target, reason: known.reason, request: request, keyID: known.keyID, at: now)
            throw ServiceError.unauthenticated("the API key is not valid, expired or revoked")
        }
        throttle.keyLookups.add(1, ordering: .relaxed)
        let found: (Workspace?, ApiKey?)
        do {
            found = try await database.inWorkspace(token.workspaceID) { connection -> (Workspace?, ApiKey?) in
                let key = try await keys.find(workspaceID: token.workspaceID, hash: hash, on: connection)
                let workspace = try await workspaces.find(id: token.workspaceID, on: connection)
                if let key, KeyCheck.evaluate(key, at: now) == .accepted {
                    try await keys.touch(workspaceID: key.workspaceID, id: key.id, on: connection)
                }
                return (workspace, key)
            }
        } catch {
            throttle.release(ticket, now: now)  // the database failed, not the key (503, not a failure)
            throw error
        }
        let outcome = KeyCheck.evaluate(found.1, at: now)
        guard outcome == .accepted, let workspace = found.0, let key = found.1 else {
            let known = AuthThrottle.KnownBad(target: .workspace(found.0 == nil ? AuditTrail.platformWorkspaceID : token.workspaceID),
                                              reason: "key_\(outcome.rawValue)", keyID: found.1?.id)
            throttle.rememberBad(hash, known, now: now)
            await recordFailure(known.target, reason: known.reason, request: request, keyID: known.keyID, at: now)
            throw ServiceError.unauthenticated("the API key is not valid, expired or revoked")
        }
        guard reference == workspace.slug || UUID(uuidString: reference) == workspace.id else {
            // The probe keeps its tokens: probing is a failure like any other.
            await recordFailure(.workspace(workspace.id), kind: .crossWorkspaceProbe, reason: "probed:\(reference.prefix(100))",
                                request: request, keyID: key.id, at: now)
            throw ServiceError.notFound(reference.count <= 100 ? "workspace '\(reference)' was not found" : "workspace was not found")
        }
        throttle.succeeded(ticket, keyHash: hash, now: now)
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

    /// The path's workspace, resolved when the counts are written; text that cannot name a
    /// workspace goes straight to the platform, so attacker-chosen paths never sit in memory.
    private func pathTarget(_ reference: String) -> FailureTarget {
        AuthFailureLog.couldName(reference) ? .reference(reference) : .workspace(AuditTrail.platformWorkspaceID)
    }

    /// Counts a failure in memory; `AuthFailureLog` writes the aggregate to `auth_failures`.
    private func recordFailure(_ target: FailureTarget, kind: AuthFailureKind = .authFailed, reason: String,
                               request: RequestMetadata, keyID: UUID? = nil, at now: Date) async {
        logger.notice("authentication failed", metadata: ["reason": "\(reason)", "correlation_id": "\(request.correlationID)"])
        await failures.note(target, kind: kind, reason: reason, keyID: keyID, request: request, at: now)
    }

    // MARK: - For operators and tests

    /// Writes the failure counts not yet written (normally done about once a second).
    public func flushFailureCounts() async {
        await failures.flush()
    }

    /// Key lookups made in the database, and failures answered from the negative cache instead.
    public var statistics: (keyLookups: Int, negativeCacheHits: Int) {
        (throttle.keyLookups.load(ordering: .relaxed), throttle.negativeCacheHits.load(ordering: .relaxed))
    }
}
