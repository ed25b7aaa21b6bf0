/// One notification email. Rendered by `MIMEMessage.render` as multipart/alternative.
public struct EmailMessage: Sendable, Equatable {
    /// "alerts@example.com" or "Vigil Alerts <alerts@example.com>".
    public var from: String
    /// Each entry like `from`. Used for the To header and as the RCPT TO envelope.
    public var to: [String]
    public var subject: String
    public var textBody: String
    public var htmlBody: String
    /// Extra headers such as "X-Vigil-Idempotency-Key". Names that MIMEMessage generates
    /// itself (Date, From, To, Subject, Message-ID, MIME-Version, Content-*) are ignored.
    public var extraHeaders: [String: String]

    public init(
        from: String,
        to: [String],
        subject: String,
        textBody: String,
        htmlBody: String,
        extraHeaders: [String: String] = [:]
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.extraHeaders = extraHeaders
    }
}
