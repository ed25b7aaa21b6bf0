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
    /// Requests per minute per key class (nil: unlimited, for tools that build no limiter).
    let rateLimiter: WorkspaceRateLimiter?
    /// Keys verified recently: a known key costs no authentication transaction.
    let verifiedKeys: VerifiedKeyCache
    /// `last_used_at` is written at most this often per key and process.
    static let touchInterval: TimeInterval = 60

    public init(database: Database, adminToken: String?, clock: WallClock, logger: Logger,
                limits: AuthFailureLimits = AuthFailureLimits(), rateLimiter: WorkspaceRateLimiter? = nil,
                verifiedKeys: VerifiedKeyCache = VerifiedKeyCache()) {
        self.rateLimiter = rateLimiter
        self.verifiedKeys = verifiedKeys
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
        let workspace: Workspace, key: (id: UUID, role: ApiKeyRole)
        if let cached = verifiedKeys.entry(for: hash, now: now), cached.expiresAt.map({ $0 > now }) ?? true {
            // Known good: no transaction here. The request's own transactions re-check that the
            // key was not revoked meanwhile (`asserting`).
            workspace = cached.caller.workspace
            key = (cached.caller.keyID, cached.caller.role)
            touchIfDue(cached, hash: hash, now: now)
        } else {
            let found = try await lookUp(token, ticket: ticket, request: request, now: now)
            workspace = found.workspace
            key = (found.key.id, found.key.role)
            verifiedKeys.store(VerifiedKeyCache.Entry(caller: WorkspaceCaller(workspace: found.workspace, keyID: found.key.id, role: found.key.role),
                                                      expiresAt: found.key.expiresAt, touchedAt: now),
                               for: hash, now: now)
        }
        guard reference == workspace.slug || UUID(uuidString: reference) == workspace.id else {
            // The probe keeps its tokens: probing is a failure like any other.
            await recordFailure(.workspace(workspace.id), kind: .crossWorkspaceProbe, reason: "probed:\(reference.prefix(100))",
                                request: request, keyID: key.id, at: now)
            throw ServiceError.notFound(reference.count <= 100 ? "workspace '\(reference)' was not found" : "workspace was not found")
        }
        throttle.succeeded(ticket, keyHash: hash, now: now)
        // Charged once the key is known good, to its class: a flood of requests with an
        // ingest key uses up the ingest keys' minute, not the one the dashboards read with.
        // The charge may write usage: under the key's assertion, so a key cached here whose
        // workspace or key was removed by another process is refused (401), not charged.
        let caller = WorkspaceCaller(workspace: workspace, keyID: key.id, role: key.role)
        if let rateLimiter {
            try await underAssertion(caller) { _ in
                try await rateLimiter.spend(1, on: .requests(key.role), workspaceID: workspace.id)
            }
        }
        if let required, !key.role.permits(required) {
            try await underAssertion(caller) { _ in try await database.inWorkspace(workspace.id) { connection in
                try await audit.record(workspaceID: workspace.id, actor: .apiKey(key.id), action: "auth.forbidden",
                                       resourceType: "api_key", resourceID: key.id.uuidString.lowercased(),
                                       details: ["required_role": required.rawValue, "role": key.role.rawValue],
                                       request: request, on: connection)
            } }
            throw ServiceError.forbidden("this operation needs the \(required.rawValue) role; the key has \(key.role.rawValue)")
        }
        return caller
    }

    /// A key not in the cache: looked up in its own transaction (and its use recorded), or
    /// refused and remembered as bad.
    private func lookUp(_ token: ApiKeyToken, ticket: AuthThrottle.Ticket, request: RequestMetadata,
                        now: Date) async throws -> (workspace: Workspace, key: ApiKey) {
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
        return (workspace, key)
    }

    /// `last_used_at` of a cached key, written at most once a minute per process and off the
    /// request's path (a lost write only makes the column a minute older).
    private func touchIfDue(_ cached: VerifiedKeyCache.Entry, hash: Data, now: Date) {
        guard now.timeIntervalSince(cached.touchedAt) >= Self.touchInterval else { return }
        verifiedKeys.markTouched(hash, at: now)
        let workspaceID = cached.caller.workspace.id, keyID = cached.caller.keyID
        let database = self.database, keys = self.keys, logger = self.logger
        Task.detached {
            do {
                try await database.inWorkspace(workspaceID) { try await keys.touch(workspaceID: workspaceID, id: keyID, on: $0) }
            } catch {
                logger.warning("could not record key use", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Runs a request's work for `caller`: every transaction it opens in the caller's workspace
    /// first re-checks that the key was not revoked, in the statement that opens it (no round
    /// trip of its own). A key revoked on any API process is refused (401) from that moment.
    public func asserting<T>(_ caller: WorkspaceCaller, _ body: () async throws -> T) async throws -> T {
        try await underAssertion(caller) { assertion in
            let result = try await body()
            // An answer made from cached state alone (e.g. the workspace's own settings)
            // opened no transaction: check the key once before it goes out, so a key
            // revoked on another process reads nothing there either.
            if !assertion.wasChecked { try await database.inWorkspace(caller.workspace.id) { _ in } }
            return result
        }
    }

    /// Runs `body` with `caller`'s key re-checked by every transaction it opens (and none
    /// forced when it opens none); a refused key is forgotten and answered 401.
    private func underAssertion<T>(_ caller: WorkspaceCaller, _ body: (Database.KeyAssertion) async throws -> T) async throws -> T {
        do {
            let assertion = Database.KeyAssertion(workspaceID: caller.workspace.id, keyID: caller.keyID)
            return try await Database.$keyAssertion.withValue(assertion) { try await body(assertion) }
        } catch let error as StorageError where error.kind == .credentialRevoked {
            verifiedKeys.forget(keyID: caller.keyID)
            throw ServiceError.unauthenticated("the API key is not valid, expired or revoked")
        }
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
