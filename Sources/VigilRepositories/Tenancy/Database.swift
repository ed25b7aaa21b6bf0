import Foundation
import Synchronization
import Logging
import PostgresClient
import VigilCore
import VigilPrimitives

/// The application's handle on PostgreSQL. Every tenant access goes through `inWorkspace`,
/// which opens a transaction and sets `vigil.workspace_id` with SET LOCAL semantics, so the
/// row-level security policies confine every statement in it to that workspace — a missing
/// `WHERE workspace_id` cannot leak another tenant's rows. The setting dies with the
/// transaction, which keeps it safe behind PgBouncer in transaction mode.
///
/// Every transaction also takes its group role with `SET LOCAL ROLE` in that same first round
/// trip (the way PostgREST does): a session-level SET ROLE would not survive PgBouncer in
/// transaction mode, where the next transaction may run on another server connection.
///
/// Callers above this layer see only the opaque `Transaction` and `StorageError`: the driver
/// (`PostgresClient`) is an implementation detail of the repositories.
public struct Database: Sendable {
    let pool: PostgresPool
    /// `SET LOCAL ROLE …` for this process's purpose, sent after every BEGIN.
    let setRole: String
    /// The read replica heavy reads may use (`readInWorkspace`); nil: everything on `pool`.
    public let readReplica: ReadReplica?

    /// `purpose`: the API process takes vigil_app; the worker, `vigil dev` and the operator
    /// commands vigil_worker (vigil_app plus the cross-tenant operator functions).
    /// `readReplica`: `DATABASE_READ_URL`'s pool, reached with the same login.
    public init(pool: PostgresPool, purpose: LoginPurpose = .worker, readReplica: ReadReplica? = nil) {
        self.pool = pool
        self.setRole = "SET LOCAL ROLE \(Self.groupRole(for: purpose))"
        self.readReplica = readReplica
    }

    /// The group role a login of `purpose` is granted (migration 0024).
    public static func groupRole(for purpose: LoginPurpose) -> String {
        switch purpose {
        case .api: "vigil_app"
        case .worker: "vigil_worker"
        }
    }

    /// The key a request authenticated with from a cache, to be re-checked by every
    /// transaction the request opens in that workspace (`inWorkspace`): set by the services
    /// around a request's work, so a key revoked on another API process is refused at once.
    public final class KeyAssertion: Sendable {
        public let workspaceID: UUID
        public let keyID: UUID
        /// Whether a transaction has re-checked the key yet: a request that needed no database
        /// work (its answer came from cached state) must still be checked before it answers.
        private let checked = Atomic<Bool>(false)

        public init(workspaceID: UUID, keyID: UUID) {
            self.workspaceID = workspaceID
            self.keyID = keyID
        }

        public var wasChecked: Bool { checked.load(ordering: .acquiring) }

        func markChecked() { checked.store(true, ordering: .releasing) }
    }

    @TaskLocal public static var keyAssertion: KeyAssertion?

    /// The server a request's heavy reads use, chosen by its first `readInWorkspace` and kept
    /// for the rest (`withOneReadServer`).
    final class ReadServerPin: Sendable {
        let route = Mutex<ReadRoute?>(nil)
    }

    @TaskLocal static var readServerPin: ReadServerPin?

    /// Runs `body` with every heavy read in it on one server: the replica or the primary, as
    /// its first read is routed. A cached answer's version and its content are then read from
    /// the same server, so a lagging replica's rows are never tagged with the primary's newer
    /// version. (A read the replica fails still repeats on the primary: newer content under an
    /// older tag only costs a later miss.)
    public static func withOneReadServer<T>(_ body: () async throws -> T) async throws -> T {
        try await $readServerPin.withValue(ReadServerPin()) { try await body() }
    }

    /// Runs `body` in one transaction confined to `workspaceID`. BEGIN, the role and the
    /// workspace setting travel with the transaction's first statement, in one round trip;
    /// under a `keyAssertion` for this workspace the setting is made by
    /// `vigil_enter_workspace`, which also refuses a revoked key (SQLSTATE VG401,
    /// `StorageError.Kind.credentialRevoked`). The ids are UUIDs formatted here, so they are
    /// safe to put in the statement's text.
    public func inWorkspace<T: Sendable>(_ workspaceID: UUID, _ body: (Transaction) async throws -> T) async throws -> T {
        try await inWorkspace(workspaceID, oneStatement: false, body)
    }

    /// A transaction of exactly one statement, e.g. a list read: that statement is sent with
    /// the transaction's opening and its COMMIT in one pipeline, so the whole transaction is
    /// one round trip. Otherwise as `inWorkspace`; a second statement in `body` is refused.
    public func statementInWorkspace<T: Sendable>(_ workspaceID: UUID, _ body: (Transaction) async throws -> T) async throws -> T {
        try await inWorkspace(workspaceID, oneStatement: true, body)
    }

    private func inWorkspace<T: Sendable>(_ workspaceID: UUID, oneStatement: Bool, _ body: (Transaction) async throws -> T) async throws -> T {
        let workspace = workspaceID.uuidString.lowercased()
        let enter: String
        let assertion = Self.keyAssertion.flatMap { $0.workspaceID == workspaceID ? $0 : nil }
        if let assertion {
            enter = "SELECT vigil_enter_workspace('\(workspace)', '\(assertion.keyID.uuidString.lowercased())')"
        } else {
            enter = "SELECT set_config('vigil.workspace_id', '\(workspace)', true)"
        }
        let value = try await StorageError.translating {
            try await pool.withTransaction(begin: ["BEGIN", setRole, enter]) {
                try await body(Transaction($0, commitsWithItsStatement: oneStatement))
            }
        }
        // The transaction committed, so its opening ran (with its first statement, or with
        // COMMIT): vigil_enter_workspace succeeded and the key stands.
        assertion?.markChecked()
        return value
    }

    /// A heavy read (metric stats and series, export, dashboards, report generation's reads):
    /// `body` runs in one READ ONLY transaction confined to `workspaceID` on the read replica
    /// when one is configured and its lag is within `VIGIL_READ_MAX_LAG_SECONDS`; otherwise, or
    /// when the read fails there for a reason of the replica's (down, connection lost, recovery
    /// conflict), exactly as `inWorkspace` on the primary. Without a replica this *is*
    /// `inWorkspace`. `body` must only read, and may run twice (once on each server).
    ///
    /// Tenancy on the replica is the primary's: the same login, `SET LOCAL ROLE` and
    /// transaction-local workspace setting, and row-level security (a hot standby enforces it
    /// too). A key check is never trusted to the replica, which may still hold a key revoked
    /// on the primary: under a `keyAssertion` for this workspace not yet checked by this
    /// request, `vigil_enter_workspace` runs on the primary (one round trip, concurrently with
    /// the replica read), and the read's result is returned only once it has passed.
    ///
    /// `oneStatement`: `body` runs exactly one statement, sent with the transaction's opening
    /// and its COMMIT in one pipeline (as `statementInWorkspace`).
    public func readInWorkspace<T: Sendable>(_ workspaceID: UUID, oneStatement: Bool = false,
                                             _ body: (Transaction) async throws -> T) async throws -> T {
        guard let replica = readReplica else { return try await inWorkspace(workspaceID, oneStatement: oneStatement, body) }
        let route = await pinnedRoute(of: replica)
        guard route == .replica else {
            if case .primary(let reason) = route { replica.countFallback(reason) }
            return try await inWorkspace(workspaceID, oneStatement: oneStatement, body)
        }
        let workspace = workspaceID.uuidString.lowercased()
        let assertion = Self.keyAssertion.flatMap { $0.workspaceID == workspaceID && !$0.wasChecked ? $0 : nil }
        async let keyChecked: Void = checkKey(assertion, workspace: workspace)
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await StorageError.translating {
                try await replica.pool.withTransaction(begin: ["BEGIN READ ONLY", setRole, "SELECT set_config('vigil.workspace_id', '\(workspace)', true)"]) {
                    try await body(Transaction($0, commitsWithItsStatement: oneStatement))
                }
            })
        } catch {
            outcome = .failure(error)
        }
        // Whatever the replica answered (rows, not found, an error), a revoked key is refused first.
        try await keyChecked
        switch outcome {
        case .success(let value):
            replica.countReplicaRead()
            return value
        case .failure(let error as StorageError) where ReadReplicaPolicy.repeatsOnPrimary(error):
            replica.readFailed(error)
            // The request's later reads follow this one to the primary (`withOneReadServer`).
            Self.readServerPin?.route.withLock { $0 = .primary(.failed) }
            return try await inWorkspace(workspaceID, oneStatement: oneStatement, body)
        case .failure(let error):
            replica.countReplicaRead()  // answered there (e.g. "no such metric"), as the primary would have
            throw error
        }
    }

    /// The route of this request's first heavy read when `withOneReadServer` pinned one;
    /// otherwise the replica's current route (and, under a pin, the one kept from now on).
    private func pinnedRoute(of replica: ReadReplica) async -> ReadRoute {
        if let pinned = Self.readServerPin?.route.withLock({ $0 }) { return pinned }
        let route = await replica.route()
        return Self.readServerPin?.route.withLock { kept in
            let first = kept ?? route
            kept = first
            return first
        } ?? route
    }

    /// On the primary, in one round trip: the key a request authenticated with from the cache
    /// was not revoked meanwhile (SQLSTATE VG401 otherwise). Nothing to do without an assertion.
    private func checkKey(_ assertion: KeyAssertion?, workspace: String) async throws {
        guard let assertion else { return }
        let key = assertion.keyID.uuidString.lowercased()
        try await StorageError.translating {
            try await pool.withConnection { connection in
                do {
                    try await connection.simpleQuery("BEGIN READ ONLY; \(setRole); SELECT vigil_enter_workspace('\(workspace)', '\(key)'); COMMIT")
                } catch {
                    if !connection.isBroken { try? await connection.simpleQuery("ROLLBACK") }
                    throw error
                }
            }
        }
        assertion.markChecked()
    }

    /// Runs `body` in one transaction with no workspace set: only platform tables
    /// (workspaces, heartbeats) are visible.
    public func platform<T: Sendable>(_ body: (Transaction) async throws -> T) async throws -> T {
        try await StorageError.translating {
            try await pool.withTransaction(begin: ["BEGIN", setRole]) { try await body(Transaction($0)) }
        }
    }

    /// The connection pool's current use, for health reports and `/metrics`.
    public var poolUsage: PoolUsage { pool.statistics }
}
