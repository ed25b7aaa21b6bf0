/// How to reach an SMTP relay. Equatable so config reloads can detect changes.
public struct SMTPSettings: Sendable, Equatable {
    public enum Security: String, Sendable, Equatable, CaseIterable, Codable {
        /// smtp:// on the submission port, STARTTLS required (fails if the server lacks it).
        case starttls
        /// smtps://, TLS from the first byte (port 465).
        case tls
        /// Plain text. Only for local testing: credentials would travel in clear.
        case none
    }

    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var security: Security
    /// PEM file to trust instead of the system store. Set by the operator's own code only:
    /// channels name a bundle (`caBundle`), which `SMTPDeliverer` resolves to a path.
    public var caFile: String?
    /// The name of one of the operator's CA bundles (`SMTPDeliverer.caBundles`).
    public var caBundle: String?
    /// false disables certificate and host name checks. Never in production.
    public var verifyPeer: Bool
    public var timeout: Duration

    public init(
        host: String,
        port: Int = 587,
        username: String? = nil,
        password: String? = nil,
        security: Security = .starttls,
        caFile: String? = nil,
        caBundle: String? = nil,
        verifyPeer: Bool = true,
        timeout: Duration = .seconds(15)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.security = security
        self.caFile = caFile
        self.caBundle = caBundle
        self.verifyPeer = verifyPeer
        self.timeout = timeout
    }
}

extension SMTPSettings: CustomStringConvertible {
    /// Redacts the password so settings can be logged or interpolated safely.
    public var description: String {
        "SMTPSettings(host: \(host), port: \(port), username: \(username ?? "nil"), "
            + "password: \(password == nil ? "nil" : "<redacted>"), security: \(security.rawValue), "
            + "caFile: \(caFile ?? "nil"), caBundle: \(caBundle ?? "nil"), verifyPeer: \(verifyPeer), timeout: \(timeout))"
    }
}
