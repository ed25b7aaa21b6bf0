import Foundation

/// Email notifications: a subject, a plain-text body and an HTML body (send both as
/// `multipart/alternative`).
///
/// Safety: the subject is one line (control characters and line separators become spaces,
/// so an alert title cannot inject a header) and at most `maxSubjectLength` characters. In
/// the HTML, every value that comes from the alert is escaped (`& < > " '`), and the link is
/// only made clickable when it is an absolute http(s) URL.
public enum EmailContent {
    public static let maxSubjectLength = 200

    /// Subject `[Vigil][CRITICAL] High CPU (triggered)`.
    public static func render(event: NotificationEvent, alert: AlertSnapshot) -> (subject: String, text: String, html: String) {
        let subject = subjectLine("[Vigil][\(NotifyText.severityTag(alert.severity))] \(alert.title) (\(event.rawValue))")

        var details: [(String, String)] = [
            ("Event", event.rawValue),
            ("Severity", alert.severity.rawValue),
            ("State", alert.state.rawValue),
            ("Source", alert.source),
            ("Workspace", alert.workspace),
            ("Occurrences", String(alert.occurrenceCount)),
            ("Triggered at", NotifyTime.rfc3339(alert.triggeredAt)),
            ("Last seen at", NotifyTime.rfc3339(alert.lastSeenAt)),
        ]
        if let at = alert.acknowledgedAt { details.append(("Acknowledged at", NotifyTime.rfc3339(at))) }
        if let at = alert.resolvedAt { details.append(("Resolved at", NotifyTime.rfc3339(at))) }
        details.append(("Fingerprint", alert.fingerprint))
        let labels = NotifyText.sortedPairs(alert.labels)
        let annotations = NotifyText.sortedPairs(alert.annotations)
        let link = NotifyText.safeLink(alert.link)

        var text = "\(NotifyText.eventTitle(event)): \(alert.title)\n\n"
        if !alert.message.isEmpty { text += alert.message + "\n\n" }
        text += details.map { "\($0.0): \($0.1)" }.joined(separator: "\n") + "\n"
        if !labels.isEmpty { text += "\nLabels:\n" + labels.map { "  \($0.key)=\($0.value)\n" }.joined() }
        if !annotations.isEmpty { text += "\nAnnotations:\n" + annotations.map { "  \($0.key): \($0.value)\n" }.joined() }
        if let link { text += "\nOpen: \(link)\n" }

        let h = NotifyText.html
        let color = event == .resolved ? SlackPayload.resolvedColor : SlackPayload.color(for: alert.severity)
        var body = """
            <div style="border-left:6px solid \(color);padding:8px 16px;margin-bottom:16px;">
            <p style="margin:0;font-size:12px;color:#666666;text-transform:uppercase;">\(h(NotifyText.eventTitle(event))) · \(h(alert.workspace))</p>
            <h1 style="margin:4px 0 0 0;font-size:20px;">\(h(alert.title))</h1>
            </div>

            """
        if !alert.message.isEmpty {
            body += "<p style=\"white-space:pre-wrap;margin:0 0 16px 0;\">\(h(alert.message))</p>\n"
        }
        body += table(details)
        if !labels.isEmpty { body += section("Labels") + table(labels.map { ($0.key, $0.value) }) }
        if !annotations.isEmpty { body += section("Annotations") + table(annotations.map { ($0.key, $0.value) }) }
        if let link {
            body += "<p style=\"margin:16px 0 0 0;\"><a href=\"\(h(link))\" style=\"color:#1976D2;\">Open in Vigil</a></p>\n"
        }
        return (subject, text, document(title: subject, body: body))
    }

    /// Subject `[Vigil][STORM] 42 alerts held back in acme`.
    public static func renderSummary(_ summary: StormSummary, workspace: String) -> (subject: String, text: String, html: String) {
        let noun = summary.totalCount == 1 ? "alert" : "alerts"
        let subject = subjectLine("[Vigil][STORM] \(summary.totalCount) \(noun) held back in \(workspace)")
        let intro = "More new alerts than the storm threshold arrived in one minute in \(workspace): "
            + "\(summary.totalCount) \(noun) were recorded without individual notifications."
        var rows = summary.topGroups.map { ($0.key, String($0.count)) }
        if summary.otherGroupCount > 0 { rows.append(("Other groups", String(summary.otherGroupCount))) }

        var text = intro + "\n"
        if !rows.isEmpty { text += "\nBy group:\n" + rows.map { "  \($0.1)  \($0.0)\n" }.joined() }

        let h = NotifyText.html
        var body = """
            <div style="border-left:6px solid \(SlackPayload.color(for: .critical));padding:8px 16px;margin-bottom:16px;">
            <h1 style="margin:0;font-size:20px;">Alert storm in \(h(workspace))</h1>
            </div>
            <p style="margin:0 0 16px 0;">\(h(intro))</p>

            """
        if !rows.isEmpty { body += section("By group") + table(rows) }
        return (subject, text, document(title: subject, body: body))
    }

    private static func subjectLine(_ text: String) -> String {
        NotifyText.truncated(NotifyText.singleLine(text), maxScalars: maxSubjectLength)
    }

    private static func section(_ title: String) -> String {
        "<h2 style=\"font-size:14px;margin:16px 0 4px 0;color:#444444;\">\(NotifyText.html(title))</h2>\n"
    }

    /// A two-column key/value table; both columns escaped.
    private static func table(_ rows: [(String, String)]) -> String {
        let cell = "padding:4px 8px;border:1px solid #dddddd;vertical-align:top;text-align:left;"
        var out = "<table style=\"border-collapse:collapse;font-size:13px;\">\n"
        for (key, value) in rows {
            out += "<tr><th style=\"\(cell)background:#f5f5f5;font-weight:600;\">\(NotifyText.html(key))</th>"
                + "<td style=\"\(cell)white-space:pre-wrap;word-break:break-word;\">\(NotifyText.html(value))</td></tr>\n"
        }
        return out + "</table>\n"
    }

    private static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>\(NotifyText.html(title))</title></head>
        <body style="margin:0;padding:16px;background:#f5f5f5;font-family:Helvetica,Arial,sans-serif;color:#222222;">
        <div style="max-width:640px;margin:0 auto;background:#ffffff;border:1px solid #dddddd;padding:16px;">
        \(body)<p style="margin:16px 0 0 0;font-size:11px;color:#888888;">Sent by Vigil</p>
        </div>
        </body></html>

        """
    }
}
