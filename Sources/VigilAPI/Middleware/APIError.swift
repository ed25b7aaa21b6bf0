import HTTPTypes

/// An error response decided at the HTTP edge (not by a use case).
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var details: [String: String] = [:]
    /// Seconds for Retry-After (429, 503); nil means the default of 1.
    var retryAfterSeconds: Int?

    static func payloadTooLarge(limit: Int) -> APIError {
        APIError(status: .contentTooLarge, code: "payload_too_large", message: "the request body exceeds \(limit) bytes")
    }

    static let unsupportedMediaType = APIError(status: .unsupportedMediaType, code: "unsupported_media_type",
                                               message: "request bodies must be application/json")
}
