/// Result of one delivery attempt, shaped for storing in a delivery log.
/// Never contains request headers, credentials or message bodies.
public struct DeliveryOutcome: Sendable, Equatable {
    /// HTTP status, or the final SMTP reply code (e.g. 250) when known.
    public var statusCode: Int?
    /// nil when the transport worked. For HTTP an answered 500 is still transport
    /// success (error == nil); errors describe timeouts, refused connections, TLS failures...
    /// Detailed but code-built text for operator logs and tests; tenants see `ledgerError`.
    public var error: String?
    /// The generic class of `error` (nil when the transport worked).
    public var failure: DeliveryFailure?
    /// Time spent on the transfer itself (excludes waiting for a free pool thread).
    public var durationMilliseconds: Double
    /// First ≤ 512 bytes of the HTTP response body, decoded as lossy UTF-8. Empty for SMTP.
    /// For the caller's own diagnostics only: never stored where a tenant can read it.
    public var responseSnippet: String
    /// SMTP outcomes have no 2xx rule of their own: success means libcurl finished the
    /// whole dialogue, which already requires 2xx/3xx replies at every step.
    var isSMTP: Bool

    public var succeeded: Bool {
        guard error == nil else { return false }
        if isSMTP { return true }
        guard let statusCode else { return false }
        return (200..<300).contains(statusCode)
    }

    /// What a ledger row or a tenant-visible job error may say: the generic failure class, or
    /// the status class of an answered non-2xx ("HTTP 5xx"), never response bytes or errno text.
    public var ledgerError: String? {
        if succeeded { return nil }
        if let failure { return failure.rawValue }
        if error == nil, let statusCode { return "HTTP \(statusCode / 100)xx" }
        return DeliveryFailure.transferFailed.rawValue
    }

    public init(
        statusCode: Int?,
        error: String?,
        failure: DeliveryFailure? = nil,
        durationMilliseconds: Double,
        responseSnippet: String = ""
    ) {
        self.init(statusCode: statusCode, error: error, failure: failure, durationMilliseconds: durationMilliseconds,
                  responseSnippet: responseSnippet, isSMTP: false)
    }

    init(statusCode: Int?, error: String?, failure: DeliveryFailure?, durationMilliseconds: Double, responseSnippet: String,
         isSMTP: Bool) {
        self.statusCode = statusCode
        self.error = error
        self.failure = error == nil ? nil : (failure ?? .transferFailed)
        self.durationMilliseconds = durationMilliseconds
        self.responseSnippet = responseSnippet
        self.isSMTP = isSMTP
    }

    static let responseSnippetLimit = 512
}
