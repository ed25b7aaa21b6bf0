import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Logging
import OpenAPIRuntime
import VigilCore
import VigilServices

/// Turns any error into the one error envelope `{"error":{"code","message","correlation_id"}}`
/// with the right status. Anything unrecognised is a 500 whose body says nothing but
/// `internal_error` and the correlation id; the detail goes to the log only.
enum ErrorMapping {
    static func response(for error: any Error, correlationID: String, logger: Logger) -> Response {
        let mapped = map(error, logger: logger, correlationID: correlationID)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if mapped.status == .serviceUnavailable || mapped.status == .tooManyRequests {
            headers[.retryAfter] = String(mapped.retryAfterSeconds ?? 1)
        }
        return Response(status: mapped.status, headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: envelope(mapped, correlationID: correlationID))))
    }

    static func envelope(_ error: APIError, correlationID: String) -> Data {
        var body: [String: Any] = ["code": error.code, "message": error.message, "correlation_id": correlationID]
        if !error.details.isEmpty { body["details"] = error.details }
        // try? is safe: strings and a [String: String] always serialize.
        return (try? JSONSerialization.data(withJSONObject: ["error": body], options: [.sortedKeys])) ?? Data()
    }

    static func map(_ error: any Error, logger: Logger, correlationID: String) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as ServiceError:
            return map(error)
        case let error as IdempotencyKeyReused:
            return APIError(status: .conflict, code: "idempotency_key_reused", message: error.message,
                            details: ["field": IdempotencyKey.headerName])
        case let error as ServerError:
            // Raised by the generated code around a handler: the cause is either our own error
            // from inside the handler or a request that does not match the spec. The runtime
            // sets `operationInput` only once the request was decoded, so with it the handler
            // threw, and anything unrecognised (a corrupt stored row) is a logged 500, not a 400.
            if error.underlyingError is ServiceError || error.underlyingError is APIError || error.underlyingError is StorageError
                || error.underlyingError is IdempotencyKeyReused || error.operationInput != nil {
                return map(error.underlyingError, logger: logger, correlationID: correlationID)
            }
            return invalidRequest(from: error)
        case let error as StorageError:
            return map(error, logger: logger, correlationID: correlationID)
        case let error as HTTPError:
            return map(error)
        default:
            logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))", "correlation_id": "\(correlationID)"])
            return internalError
        }
    }

    static let internalError = APIError(status: .internalServerError, code: "internal_error", message: "internal error")

    static func map(_ error: ServiceError) -> APIError {
        switch error {
        case .invalid(let field, let message):
            return APIError(status: .badRequest, code: "invalid_request", message: message, details: field.map { ["field": $0] } ?? [:])
        case .unauthenticated(let message): return APIError(status: .unauthorized, code: "unauthenticated", message: message)
        case .forbidden(let message): return APIError(status: .forbidden, code: "forbidden", message: message)
        case .notFound(let message): return APIError(status: .notFound, code: "not_found", message: message)
        case .conflict(let message): return APIError(status: .conflict, code: "conflict", message: message)
        case .unavailable(let message): return APIError(status: .serviceUnavailable, code: "unavailable", message: message)
        case .rateLimited(let message, let seconds):
            return APIError(status: .tooManyRequests, code: "rate_limited", message: message, retryAfterSeconds: seconds)
        case .queryTooLarge(let message):
            return APIError(status: .unprocessableContent, code: "query_too_large", message: message)
        }
    }

    static func map(_ error: HTTPError) -> APIError {
        switch error.status {
        case .contentTooLarge:
            return APIError(status: .contentTooLarge, code: "payload_too_large", message: "the request body is too large")
        case .notFound:
            return APIError(status: .notFound, code: "not_found", message: "no such resource")
        case .badRequest:
            return APIError(status: .badRequest, code: "invalid_request", message: error.body ?? "bad request")
        default:
            let code = error.status.code < 500 ? "invalid_request" : "unavailable"
            return APIError(status: error.status, code: code, message: error.body ?? error.status.reasonPhrase)
        }
    }

    /// Database trouble the client can retry is 503; SQL bugs are 500s and logged.
    static func map(_ error: StorageError, logger: Logger, correlationID: String) -> APIError {
        switch error.kind {
        case .unavailable:
            logger.warning("database unavailable", metadata: ["error": "\(error.message)", "correlation_id": "\(correlationID)"])
            return APIError(status: .serviceUnavailable, code: "unavailable", message: "the database is unavailable; retry shortly")
        case .busy:
            return APIError(status: .serviceUnavailable, code: "unavailable", message: "the database is busy; retry shortly")
        case .rejectedValue:
            // A value the database cannot hold, such as a NUL character in text or a date
            // outside its range. The input is at fault, not Vigil.
            logger.notice("rejected value", metadata: ["sqlstate": "\(error.sqlState ?? "-")", "correlation_id": "\(correlationID)"])
            return APIError(status: .badRequest, code: "invalid_request",
                            message: "a value in the request cannot be stored (SQLSTATE \(error.sqlState ?? "22000"))")
        case .credentialRevoked:
            return APIError(status: .unauthorized, code: "unauthenticated", message: "the API key is not valid, expired or revoked")
        case .conflict, .refused, .failure:
            logger.error("database error", metadata: ["sqlstate": "\(error.sqlState ?? "-")", "error": "\(error.message)",
                                                      "correlation_id": "\(correlationID)"])
            return internalError
        }
    }

    /// A request the generated code could not decode: say what was wrong without echoing
    /// internals (type names, stack of coding keys is fine: it names the field).
    static func invalidRequest(from error: ServerError) -> APIError {
        var field: String?
        var message = "the request does not match the API specification"
        if let decoding = error.underlyingError as? DecodingError {
            switch decoding {
            case .typeMismatch(_, let context), .valueNotFound(_, let context):
                field = context.codingPath.isEmpty ? nil : path(context.codingPath)
                message = field.map { "field '\($0)' has the wrong type or is null" } ?? "invalid request: \(sanitize(error.causeDescription))"
            case .keyNotFound(let key, let context):
                field = path(context.codingPath + [key])
                message = "field '\(field!)' is required"
            case .dataCorrupted(let context):
                field = context.codingPath.isEmpty ? nil : path(context.codingPath)
                message = context.codingPath.isEmpty ? "invalid request: \(sanitize(error.causeDescription))" : "field '\(field!)' has an invalid value"
            @unknown default:
                break
            }
        } else {
            let text = String(describing: error.underlyingError)
            if text.contains("nexpected content type") || text.contains("content type") {
                return APIError.unsupportedMediaType
            }
            message = "invalid request: \(sanitize(text))"
        }
        return APIError(status: .badRequest, code: "invalid_request", message: message, details: field.map { ["field": $0] } ?? [:])
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// Runtime error texts are short and name parameters; cap them anyway.
    static func sanitize(_ text: String) -> String {
        String(text.prefix(300))
    }
}
