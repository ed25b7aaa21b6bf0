import Foundation
import VigilCore
import VigilDelivery

/// Turns a prepared delivery into the bytes a channel kind expects.
extension NotificationDeliveryService {
    enum OutboundRequest {
        case http(OutboundHTTPRequest)
        case email(EmailMessage, SMTPSettings)

        var bodyBytes: [UInt8] {
            switch self {
            case .http(let request): request.body
            case .email(let message, _): Array((message.subject + "\n" + message.textBody).utf8)
            }
        }
    }

    /// nil when this channel kind has no payload for the delivery (storm summaries to PagerDuty
    /// or Alertmanager-format webhooks).
    func render(_ args: AlertJobs.NotifyArgs, _ p: Prepared) throws -> OutboundRequest? {
        let now = clock.now()
        let slug = p.workspace.slug
        let snapshot = p.alert.map { AlertSnapshot(record: $0, workspace: slug) }
        let event = NotificationEvent(rawValue: args.event) ?? .triggered
        let summary = p.stormGroups.map { StormSummary(groupKeys: $0) }
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("User-Agent", "Vigil"), ("Idempotency-Key", args.idempotencyKey),
            ("X-Vigil-Event", args.event),
        ]
        switch p.spec.kind {
        case .webhook:
            let body: [UInt8]
            switch (p.spec.format ?? .vigil, snapshot, summary) {
            case (.vigil, let alert?, _):
                body = WebhookPayload.vigil(event: event, alert: alert, escalationLevel: args.escalationLevel, sentAt: now)
            case (.vigil, nil, let summary?):
                body = StormSummaryPayload.vigil(summary: summary, workspace: slug, minute: args.stormMinute ?? 0, sentAt: now)
            case (.alertmanager, let alert?, _):
                body = AlertmanagerWebhookPayload.render(alerts: [alert], receiver: p.spec.name,
                                                         groupLabels: alert.labels.filter { p.workspace.settings.alerting.groupBy.contains($0.key) },
                                                         externalURL: "")
            default:
                return nil
            }
            headers += WebhookSignature.headers(secret: p.secrets.signingSecret ?? "", timestamp: Int64(now.timeIntervalSince1970), body: body)
            return .http(OutboundHTTPRequest(url: p.spec.url ?? "", headers: headers, body: body, timeout: p.spec.timeout))
        case .slack:
            let body = if let snapshot { SlackPayload.render(event: event, alert: snapshot) }
                else if let summary { SlackPayload.renderSummary(summary, workspace: slug) } else { [UInt8]() }
            return .http(OutboundHTTPRequest(url: p.secrets.webhookURL ?? "", headers: headers, body: body, timeout: p.spec.timeout))
        case .pagerduty:
            guard let snapshot else { return nil }
            let body = PagerDutyEvent.render(event: event, alert: snapshot, routingKey: p.secrets.routingKey ?? "")
            return .http(OutboundHTTPRequest(url: p.spec.url ?? NotificationChannelSpec.defaultPagerDutyURL, headers: headers, body: body,
                                             timeout: p.spec.timeout))
        case .email:
            let content = if let snapshot { EmailContent.render(event: event, alert: snapshot) }
                else if let summary { EmailContent.renderSummary(summary, workspace: slug) } else { (subject: "", text: "", html: "") }
            let message = EmailMessage(from: p.spec.from ?? "vigil@localhost", to: p.spec.to ?? [], subject: content.subject,
                                       textBody: content.text, htmlBody: content.html,
                                       extraHeaders: ["X-Vigil-Idempotency-Key": args.idempotencyKey])
            let security: SMTPSettings.Security = switch p.spec.smtpSecurity ?? .starttls {
                case .starttls: .starttls
                case .tls: .tls
                case .none: .none
            }
            let settings = SMTPSettings(host: p.spec.smtpHost ?? "", port: p.spec.smtpPort ?? 587, username: p.spec.smtpUsername,
                                        password: p.secrets.smtpPassword, security: security, caBundle: p.spec.smtpCABundleForDelivery,
                                        timeout: p.spec.timeout)
            return .email(message, settings)
        }
    }
}

extension AlertSnapshot {
    init(record: AlertRecord, workspace: String) {
        self.init(id: record.id.uuidString.lowercased(), workspace: workspace, fingerprint: record.fingerprint, title: record.title,
                  message: record.message, source: record.source, severity: record.severity, state: record.state,
                  labels: record.labels, annotations: record.annotations, occurrenceCount: record.occurrenceCount,
                  triggeredAt: record.triggeredAt, lastSeenAt: record.lastSeenAt, acknowledgedAt: record.acknowledgedAt,
                  resolvedAt: record.resolvedAt, link: nil)
    }
}
