import Foundation

/// A notification channel's definition: where and how to deliver, without its secrets.
///
/// Secrets (webhook signing secret, Slack webhook URL, PagerDuty routing key, SMTP password)
/// live in `ChannelSecrets`, stored apart and never returned by the API or written to logs.
public struct NotificationChannelSpec: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case webhook, slack, pagerduty, email }
    /// The generic webhook's body: Vigil's own JSON, or Alertmanager's v4 webhook shape so existing
    /// receivers work unchanged.
    public enum WebhookFormat: String, Sendable, Codable, CaseIterable { case vigil, alertmanager }
    public enum EmailSecurity: String, Sendable, Codable, CaseIterable { case starttls, tls, none }

    public var name: String
    public var kind: Kind
    public var minSeverity: AlertSeverity
    public var enabled: Bool
    /// webhook: the receiver; pagerduty: the Events API v2 endpoint (defaults to PagerDuty's).
    public var url: String?
    public var format: WebhookFormat?
    /// email settings.
    public var to: [String]?
    public var from: String?
    public var smtpHost: String?
    public var smtpPort: Int?
    public var smtpUsername: String?
    public var smtpSecurity: EmailSecurity?
    /// The name of an operator-configured CA bundle (`VIGIL_SMTP_CA_BUNDLES`) to trust for the
    /// SMTP server (self-signed relays). Tenants name bundles, never paths on the worker.
    public var smtpCABundle: String?
    /// The retired free path (`smtp_ca_file`), still decoded from rows stored before bundles
    /// existed so they stay readable; delivery ignores it (and logs that it did).
    public var legacySMTPCAFile: String?
    /// Delivery timeout in seconds (1–60, default 10).
    public var timeoutSeconds: Int?

    public init(name: String, kind: Kind, minSeverity: AlertSeverity = .info, enabled: Bool = true, url: String? = nil,
                format: WebhookFormat? = nil, to: [String]? = nil, from: String? = nil, smtpHost: String? = nil,
                smtpPort: Int? = nil, smtpUsername: String? = nil, smtpSecurity: EmailSecurity? = nil,
                smtpCABundle: String? = nil, timeoutSeconds: Int? = nil) {
        self.name = name; self.kind = kind; self.minSeverity = minSeverity; self.enabled = enabled; self.url = url
        self.format = format; self.to = to; self.from = from; self.smtpHost = smtpHost; self.smtpPort = smtpPort
        self.smtpUsername = smtpUsername; self.smtpSecurity = smtpSecurity; self.smtpCABundle = smtpCABundle
        self.timeoutSeconds = timeoutSeconds
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, enabled, url, format, to, from
        case minSeverity = "min_severity"
        case smtpHost = "smtp_host", smtpPort = "smtp_port", smtpUsername = "smtp_username"
        case smtpSecurity = "smtp_security", smtpCABundle = "smtp_ca_bundle", timeoutSeconds = "timeout_seconds"
        case legacySMTPCAFile = "smtp_ca_file"
    }

    public static let defaultPagerDutyURL = "https://events.pagerduty.com/v2/enqueue"
    public static let timeoutRange = 1...60

    public var timeout: Duration { .seconds(timeoutSeconds ?? 10) }

    /// The longest value each secret may have (as `ChannelSecrets` in openapi.yaml says).
    static func checkSecretLengths(_ secrets: ChannelSecrets) -> ValidationFailure? {
        let limits: [(field: String, value: String?, max: Int)] = [
            ("secrets.signing_secret", secrets.signingSecret, 512), ("secrets.webhook_url", secrets.webhookURL, 2000),
            ("secrets.routing_key", secrets.routingKey, 200), ("secrets.smtp_password", secrets.smtpPassword, 512),
        ]
        for limit in limits {
            if let value = limit.value, value.unicodeScalars.count > limit.max {
                return ValidationFailure(field: limit.field, message: "\(limit.field) must be at most \(limit.max) characters")
            }
        }
        // The spec's minLength holds whatever the kind (a webhook also needs the secret at all).
        if let secret = secrets.signingSecret, secret.unicodeScalars.count < 16 {
            return ValidationFailure(field: "secrets.signing_secret", message: "secrets.signing_secret must be at least 16 characters")
        }
        return nil
    }

    /// Checks the fields each kind needs and the secrets it must have; returns the first problem.
    public func validate(secrets: ChannelSecrets) -> ValidationFailure? {
        if name.isEmpty || name.unicodeScalars.count > 200 { return ValidationFailure(field: "name", message: "name must be 1-200 characters") }
        if let t = timeoutSeconds, !Self.timeoutRange.contains(t) {
            return ValidationFailure(field: "timeout_seconds", message: "timeout_seconds must be between 1 and 60")
        }
        if let url, let problem = Self.checkHTTPURL(url, field: "url") { return problem }
        if let problem = Self.checkSecretLengths(secrets) ?? checkEmailFieldBounds() { return problem }
        switch kind {
        case .webhook:
            if url == nil { return ValidationFailure(field: "url", message: "a webhook channel needs a url") }
            if secrets.signingSecret.map({ $0.unicodeScalars.count < 16 }) ?? true {
                return ValidationFailure(field: "secrets.signing_secret", message: "a webhook channel needs a signing_secret of at least 16 characters")
            }
        case .slack:
            guard let hook = secrets.webhookURL else {
                return ValidationFailure(field: "secrets.webhook_url", message: "a slack channel needs its incoming-webhook URL in secrets.webhook_url")
            }
            if let problem = Self.checkHTTPURL(hook, field: "secrets.webhook_url") { return problem }
        case .pagerduty:
            if (secrets.routingKey ?? "").isEmpty || (secrets.routingKey?.count ?? 0) > 200 {
                return ValidationFailure(field: "secrets.routing_key", message: "a pagerduty channel needs its Events API v2 routing_key")
            }
        case .email:
            guard let to, !to.isEmpty, to.count <= 50 else {
                return ValidationFailure(field: "to", message: "an email channel needs 1-50 recipient addresses")
            }
            for address in to + [from ?? ""] where !Self.isPlausibleAddress(address) {
                return ValidationFailure(field: address == (from ?? "") ? "from" : "to", message: "'\(address.prefix(100))' is not an email address")
            }
            guard let host = smtpHost, !host.isEmpty, host.unicodeScalars.count <= 253, !host.contains(where: { $0.isWhitespace || $0 == "/" }) else {
                return ValidationFailure(field: "smtp_host", message: "an email channel needs smtp_host")
            }
            if let port = smtpPort, !(1...65535).contains(port) {
                return ValidationFailure(field: "smtp_port", message: "smtp_port must be 1-65535")
            }
            if (smtpUsername == nil) != (secrets.smtpPassword == nil) {
                return ValidationFailure(field: "smtp_username", message: "smtp_username and secrets.smtp_password go together")
            }
            // A password over an unencrypted connection is readable by anyone on the path.
            if smtpSecurity == EmailSecurity.none, secrets.smtpPassword != nil {
                return ValidationFailure(field: "smtp_security", message: "smtp_security none would send secrets.smtp_password in clear; use starttls or tls")
            }
        }
        return nil
    }

    /// The bounds openapi.yaml states for the email fields hold whatever the kind: a field the
    /// spec bounds is never stored past its bound, even where this kind ignores it.
    func checkEmailFieldBounds() -> ValidationFailure? {
        if let port = smtpPort, !(1...65535).contains(port) {
            return ValidationFailure(field: "smtp_port", message: "smtp_port must be 1-65535")
        }
        if let to, to.count > 50 || to.contains(where: { $0.unicodeScalars.count > 254 }) {
            return ValidationFailure(field: "to", message: "to holds at most 50 addresses of at most 254 characters")
        }
        let lengths: [(field: String, value: String?, max: Int)] = [("from", from, 254), ("smtp_host", smtpHost, 253), ("smtp_username", smtpUsername, 254)]
        for bound in lengths {
            if let value = bound.value, value.unicodeScalars.count > bound.max {
                return ValidationFailure(field: bound.field, message: "\(bound.field) must be at most \(bound.max) characters")
            }
        }
        return nil
    }

    static func checkHTTPURL(_ text: String, field: String) -> ValidationFailure? {
        guard text.unicodeScalars.count <= 2000, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty else {
            return ValidationFailure(field: field, message: "must be an http or https URL")
        }
        return nil
    }

    /// Enough to catch typos and header injection; delivery finds the rest.
    static func isPlausibleAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return text.unicodeScalars.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," || $0.asciiValue.map { $0 < 32 } ?? false })
    }
}

/// A channel's secrets. Write-only through the API: responses list only which are set.
public struct ChannelSecrets: Sendable, Equatable, Codable {
    public var signingSecret: String?
    public var webhookURL: String?
    public var routingKey: String?
    public var smtpPassword: String?

    public init(signingSecret: String? = nil, webhookURL: String? = nil, routingKey: String? = nil, smtpPassword: String? = nil) {
        self.signingSecret = signingSecret; self.webhookURL = webhookURL; self.routingKey = routingKey; self.smtpPassword = smtpPassword
    }

    enum CodingKeys: String, CodingKey {
        case signingSecret = "signing_secret", webhookURL = "webhook_url", routingKey = "routing_key", smtpPassword = "smtp_password"
    }

    /// The names of the secrets present, for responses.
    public var namesSet: [String] {
        [("signing_secret", signingSecret), ("webhook_url", webhookURL), ("routing_key", routingKey), ("smtp_password", smtpPassword)]
            .compactMap { $0.1 == nil ? nil : $0.0 }
    }

    /// `update`'s values where given, else these (an update that omits a secret keeps it).
    public func merged(with update: ChannelSecrets) -> ChannelSecrets {
        ChannelSecrets(signingSecret: update.signingSecret ?? signingSecret, webhookURL: update.webhookURL ?? webhookURL,
                       routingKey: update.routingKey ?? routingKey, smtpPassword: update.smtpPassword ?? smtpPassword)
    }
}
