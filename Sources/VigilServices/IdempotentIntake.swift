import Foundation
import VigilCore
import VigilRepositories

/// A keyed request: which operation, which key, and the fingerprint of what was asked.
public struct IdempotencyRequest: Sendable, Equatable {
    public var operation: IdempotentOperation
    public var key: IdempotencyKey
    public var fingerprint: RequestFingerprint

    public init(operation: IdempotentOperation, key: IdempotencyKey, fingerprint: RequestFingerprint) {
        self.operation = operation
        self.key = key
        self.fingerprint = fingerprint
    }
}

/// The key was used in this workspace for a different request of the same operation within
/// 24 hours: 409 `idempotency_key_reused`, nothing applied.
public struct IdempotencyKeyReused: Error, Sendable, Equatable {
    public var message: String

    public init(_ key: IdempotencyKey) {
        message = "the Idempotency-Key '\(key.value.prefix(64))' was already used for a different request in the last 24 hours; use a new key"
    }
}

/// Thrown inside a write transaction when another request with the same key committed first:
/// rolls the write back so that only the first request's effects remain.
struct IdempotencyRace: Error {}

/// What a use case calls inside its write transaction, after the write and before commit:
/// stores the answer under the key in that same transaction, so a commit and its record are
/// one atomic fact (an ambiguous commit plus a retry can never apply twice).
public struct IdempotencyHook<Result: Sendable>: Sendable {
    let request: IdempotencyRequest
    let workspaceID: UUID
    let now: Date
    let respond: @Sendable (Result) throws -> IdempotentResponse
    let repository = IdempotencyRepository()

    func record(_ result: Result, on connection: Transaction) async throws {
        let record = IdempotencyRecord(fingerprint: request.fingerprint, response: try respond(result), createdAt: now,
                                       expiresAt: IdempotencyKey.expiry(from: now))
        guard try await repository.insert(operation: request.operation, key: request.key, record: record,
                                          workspaceID: workspaceID, on: connection) else {
            throw IdempotencyRace()
        }
    }
}

/// Runs `body`, then records its result under the key (when there is a hook) on the same
/// transaction: the last statement before commit.
func recordingIdempotency<Result: Sendable>(_ hook: IdempotencyHook<Result>?, on connection: Transaction,
                                            _ body: () async throws -> Result) async throws -> Result {
    let result = try await body()
    try await hook?.record(result, on: connection)
    return result
}

/// `Idempotency-Key` for the creating operations: looks the key up first (a replay answers
/// from the record without touching anything else), otherwise runs the write with a hook that
/// stores the answer in the write's own transaction. Concurrent requests with one key: the
/// later one waits on the record's primary key until the first commits, then answers from it
/// (or, if the first rolled back, applies itself).
public struct IdempotentIntake: Sendable {
    let database: Database
    let clock: WallClock
    let repository = IdempotencyRepository()

    public init(database: Database, clock: WallClock) {
        self.database = database
        self.clock = clock
    }

    /// The stored answer for a replay; nil when the key is new (or expired). Throws
    /// `IdempotencyKeyReused` when the key answered a different request.
    public func storedAnswer(_ request: IdempotencyRequest, in workspaceID: UUID) async throws -> IdempotentResponse? {
        let stored = try await database.inWorkspace(workspaceID) {
            try await repository.find(operation: request.operation, key: request.key, workspaceID: workspaceID, on: $0)
        }
        switch IdempotencyDecision.decide(stored: stored, fingerprint: request.fingerprint, now: clock.now()) {
        case .proceed: return nil
        case .replay(let response): return response
        case .keyReused: throw IdempotencyKeyReused(request.key)
        }
    }

    /// Answers a keyed request: the stored answer, or `write`'s (stored with it). `write`
    /// receives the hook to pass to the use case; `respond` turns the use case's result into
    /// the answer (status and body), the same function for the first answer and every replay.
    public func perform<Result: Sendable>(_ request: IdempotencyRequest, in workspaceID: UUID,
                                          respond: @escaping @Sendable (Result) throws -> IdempotentResponse,
                                          write: (IdempotencyHook<Result>) async throws -> Result) async throws -> IdempotentResponse {
        if let stored = try await storedAnswer(request, in: workspaceID) { return stored }
        let hook = IdempotencyHook(request: request, workspaceID: workspaceID, now: clock.currentMicrosecondTime(), respond: respond)
        do {
            return try respond(try await write(hook))
        } catch is IdempotencyRace {
            if let stored = try await storedAnswer(request, in: workspaceID) { return stored }
            throw ServiceError.conflict("a request with this Idempotency-Key is being applied; retry")
        }
    }
}
