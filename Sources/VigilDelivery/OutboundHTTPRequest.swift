/// One outbound webhook-style POST (generic webhook, Slack, PagerDuty).
///
/// Headers may carry secrets (bearer tokens, HMAC signatures): the deliverer sends
/// them but never logs them nor copies them into a `DeliveryOutcome`.
public struct OutboundHTTPRequest: Sendable {
    public var url: String
    /// Sent in order. A `Content-Type` is added (application/json) only when none is given.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Whole-transfer timeout; also used as the connect timeout.
    public var timeout: Duration

    public init(
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8],
        timeout: Duration = .seconds(10)
    ) {
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}
