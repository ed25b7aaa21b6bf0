import VigilCore

/// Failures a use case reports to its caller; the API maps each to one status and code.
public enum ServiceError: Error, Sendable, Equatable {
    case invalid(field: String?, message: String)
    case unauthenticated(String)
    case forbidden(String)
    case notFound(String)
    case conflict(String)
    case unavailable(String)

    init(_ failure: ValidationFailure) {
        self = .invalid(field: failure.field, message: failure.message)
    }
}
