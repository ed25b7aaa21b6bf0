/// Where a channel's secrets go. Stored secrets are bound to their destination: an admin who
/// repoints a channel (webhook URL, SMTP server) must re-enter the secrets, or the stored
/// signing secret / routing key / SMTP password would be handed to a server of their choosing.
extension NotificationChannelSpec {
    /// The effective destination, defaults applied (so `url: null` and PagerDuty's own URL are
    /// the same destination, as are an absent port and 587).
    struct Destination: Equatable {
        var kind: Kind
        var url: String?
        var smtpHost: String?
        var smtpPort: Int?
        var smtpSecurity: EmailSecurity?
    }

    var destination: Destination {
        switch kind {
        case .webhook: Destination(kind: kind, url: url)
        case .pagerduty: Destination(kind: kind, url: url ?? Self.defaultPagerDutyURL)
        // Slack's destination is its webhook URL, itself a secret: changing it is re-entering it.
        case .slack: Destination(kind: kind)
        case .email: Destination(kind: kind, smtpHost: smtpHost?.lowercased(), smtpPort: smtpPort ?? 587, smtpSecurity: smtpSecurity ?? .starttls)
        }
    }

    /// The first field (API name) whose change moves the destination away from `stored`'s, or
    /// nil when the secrets may stay.
    public func destinationChange(from stored: NotificationChannelSpec) -> String? {
        let old = stored.destination, new = destination
        if old.kind != new.kind { return "kind" }
        if old.url != new.url { return "url" }
        if old.smtpHost != new.smtpHost { return "smtp_host" }
        if old.smtpPort != new.smtpPort { return "smtp_port" }
        if old.smtpSecurity != new.smtpSecurity { return "smtp_security" }
        return nil
    }
}
