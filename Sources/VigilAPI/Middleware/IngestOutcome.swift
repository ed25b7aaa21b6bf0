import HTTPTypes
import VigilCore
import VigilServices

/// How a metric ingest request ended, as a bounded label for `vigil_ingest_batches_total`.
enum IngestOutcome: String, Sendable {
    /// A replay of an `Idempotency-Key` already answered: nothing stored again.
    case replayed
    case accepted, invalid, rateLimited = "rate_limited", limitReached = "limit_reached"
    case unauthorized, unavailable, error

    /// The outcome of a request that threw `error`.
    init(refusal error: any Error) {
        switch error {
        case ServiceError.invalid, ServiceError.queryTooLarge: self = .invalid
        case ServiceError.rateLimited: self = .rateLimited
        case ServiceError.conflict: self = .limitReached
        case is IdempotencyKeyReused: self = .invalid
        case ServiceError.unauthenticated, ServiceError.forbidden, ServiceError.notFound: self = .unauthorized
        case ServiceError.unavailable: self = .unavailable
        case let storage as StorageError where storage.kind == .credentialRevoked: self = .unauthorized
        case let storage as StorageError where storage.kind == .unavailable || storage.kind == .busy: self = .unavailable
        case let api as APIError where api.status.code == 413 || api.status.code == 415 || api.status.code == 400: self = .invalid
        case let api as APIError where api.status.code == 429: self = .rateLimited
        case let api as APIError where api.status.code == 401 || api.status.code == 403: self = .unauthorized
        default: self = .error
        }
    }
}
