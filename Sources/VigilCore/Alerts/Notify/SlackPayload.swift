import Foundation
import VigilPrimitives

/// Bodies for Slack incoming webhooks (`POST` the bytes as `application/json`).
///
/// Every piece of alert text is escaped the way Slack requires (`&` `<` `>` as entities), so
/// an alert cannot ping `<!channel>`, forge a `<https://evil|link>` or mention a user. The
/// top-level `text` is the notification/fallback line; the attachment carries the details.
public enum SlackPayload {
    /// Attachment colour (the bar on the left) per severity; resolved events are green
    /// whatever the severity, so "it is over" reads at a glance.
    public static func color(for severity: AlertSeverity) -> String {
        switch severity {
        case .critical: "#D32F2F"
        case .high: "#F57C00"
        case .medium: "#FBC02D"
        case .low: "#1976D2"
        case .info: "#9E9E9E"
        }
    }

    public static let resolvedColor = "#2E7D32"

    /// Alert messages longer than this many characters are cut (with `…`).
    public static let maxMessageLength = 3000

    /// `text`: `[CRITICAL] High CPU (triggered) · acme`. One attachment: the title (linked
    /// when the alert has an http(s) link), the message, short fields Severity / State /
    /// Source / Occurrences, a Labels field when there are labels, and a footer
    /// `Vigil · <workspace> · <fingerprint prefix>` with `ts` = the trigger time.
    public static func render(event: NotificationEvent, alert: AlertSnapshot) -> [UInt8] {
        let e = NotifyText.slack
        let headline = "[\(NotifyText.severityTag(alert.severity))] \(alert.title) (\(event.rawValue))"
        var fields: [CanonicalJSON] = [
            field("Severity", alert.severity.rawValue),
            field("State", alert.state.rawValue),
            field("Source", e(alert.source)),
            field("Occurrences", String(alert.occurrenceCount)),
        ]
        if !alert.labels.isEmpty {
            let lines = NotifyText.sortedPairs(alert.labels).map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
            fields.append(field("Labels", e(NotifyText.truncated(lines, maxScalars: maxMessageLength)), short: false))
        }
        var attachment: [String: CanonicalJSON] = [
            "color": .string(event == .resolved ? resolvedColor : color(for: alert.severity)),
            "fallback": .string(e(headline)),
            "pretext": .string("*\(NotifyText.eventTitle(event))*"),
            "title": .string(e(alert.title)),
            "fields": .array(fields),
            "footer": .string(e("Vigil · \(alert.workspace) · \(alert.fingerprint.prefix(12))")),
            "ts": .int(Int64(alert.triggeredAt.timeIntervalSince1970.rounded(.down))),
            "mrkdwn_in": .array([.string("text"), .string("pretext")]),
        ]
        if !alert.message.isEmpty {
            attachment["text"] = .string(e(NotifyText.truncated(alert.message, maxScalars: maxMessageLength)))
        }
        if let link = NotifyText.safeLink(alert.link) { attachment["title_link"] = .string(link) }
        return CanonicalJSON.object([
            "text": .string(e(headline + " · " + alert.workspace)),
            "attachments": .array([.object(attachment)]),
        ]).notificationBytes
    }

    /// `text`: `Alert storm in acme: 42 new alerts held back this minute`, then one field per
    /// listed group (its key and count) and, when some were left out, `Other groups`.
    public static func renderSummary(_ summary: StormSummary, workspace: String) -> [UInt8] {
        let e = NotifyText.slack
        let headline = "Alert storm in \(workspace): \(summary.totalCount) new alert\(summary.totalCount == 1 ? "" : "s") held back this minute"
        var fields = summary.topGroups.map { field(e($0.key), String($0.count), short: false) }
        if summary.otherGroupCount > 0 {
            fields.append(field("Other groups", String(summary.otherGroupCount)))
        }
        return CanonicalJSON.object([
            "text": .string(e(headline)),
            "attachments": .array([.object([
                "color": .string(color(for: .critical)),
                "fallback": .string(e(headline)),
                "title": .string("Individual notifications are paused for this minute"),
                "fields": .array(fields),
                "footer": .string(e("Vigil · \(workspace)")),
            ])]),
        ]).notificationBytes
    }

    private static func field(_ title: String, _ value: String, short: Bool = true) -> CanonicalJSON {
        .object(["title": .string(title), "value": .string(value), "short": .bool(short)])
    }
}
