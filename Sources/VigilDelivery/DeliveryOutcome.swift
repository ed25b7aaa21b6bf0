/// Result of one delivery attempt, shaped for storing in a delivery log.
/// Never contains request headers, credentials or message bodies.
public struct DeliveryOutcome: Sendable, Equatable {
    /// HTTP status, or the final SMTP reply code (e.g. 250) when known.
    public var statusCode: Int?
    /// nil when the transport worked. For HTTP an answered 500 is still transport
    /// success (error == nil); errors describe timeouts, refused connections, TLS failures...
    public var error: String?
    /// Time spent on the transfer itself (excludes waiting for a free pool thread).
    public var durationMilliseconds: Double
    /// First ≤ 512 bytes of the HTTP response body, decoded as lossy UTF-8. Empty for SMTP.
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

    public init(
        statusCode: Int?,
        error: String?,
        durationMilliseconds: Double,
        responseSnippet: String = ""
    ) {
        self.init(statusCode: statusCode, error: error, durationMilliseconds: durationMilliseconds,
                  responseSnippet: responseSnippet, isSMTP: false)
    }

    init(statusCode: Int?, error: String?, durationMilliseconds: Double, responseSnippet: String, isSMTP: Bool) {
        self.statusCode = statusCode
        self.error = error
        self.durationMilliseconds = durationMilliseconds
        self.responseSnippet = responseSnippet
        self.isSMTP = isSMTP
    }

    static let responseSnippetLimit = 512
}
