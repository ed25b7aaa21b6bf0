import VigilCore

/// Failures a use case reports to its caller; the API maps each to one status and code.
public enum ServiceError: Error, Sendable, Equatable {
    case invalid(field: String?, message: String)
    case unauthenticated(String)
    case forbidden(String)
    case notFound(String)
    case conflict(String)
    case unavailable(String)
    /// Over a quota; retry after the given number of seconds (429, Retry-After).
    case rateLimited(String, retryAfterSeconds: Int)
    /// Well formed, but costlier than the workspace's limit allows (422 `query_too_large`).
    case queryTooLarge(String)

    public init(_ failure: ValidationFailure) {
        self = .invalid(field: failure.field, message: failure.message)
    }
}

extension ServiceError: CustomStringConvertible {
    /// The human-readable message, as the CLI prints it.
    public var description: String {
        switch self {
        case .invalid(let field, let message): return field.map { "\($0): \(message)" } ?? message
        case .unauthenticated(let message), .forbidden(let message), .notFound(let message),
             .conflict(let message), .unavailable(let message), .rateLimited(let message, _), .queryTooLarge(let message):
            return message
        }
    }
}

extension ServiceError {
    /// What a failed periodic evaluation stores for the tenant to read (rule `last_error`,
    /// detector `last_error`): a service error's own message, anything else only as "internal",
    /// since driver and system errors can carry details the tenant must not see.
    static func recordedReason(_ error: any Error) -> String {
        guard let error = error as? ServiceError else { return "internal error while evaluating (see the worker's log)" }
        return String(error.description.prefix(500))
    }
}
