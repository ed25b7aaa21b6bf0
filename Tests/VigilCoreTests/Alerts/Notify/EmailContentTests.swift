import Foundation
import Testing
import VigilCore

struct EmailContentTests {
    typealias F = NotifyFixture

    @Test(arguments: [
        (AlertSeverity.critical, NotificationEvent.triggered, "High CPU", "[Vigil][CRITICAL] High CPU (triggered)"),
        (.low, .resolved, "Disk 81%", "[Vigil][LOW] Disk 81% (resolved)"),
        (.medium, .escalated, "Überlast 🔥", "[Vigil][MEDIUM] Überlast 🔥 (escalated)"),
        (.info, .acknowledged, "a\r\nBcc: victim@example.com", "[Vigil][INFO] a  Bcc: victim@example.com (acknowledged)"),
        (.high, .reopened, "tab\tand\u{2028}sep", "[Vigil][HIGH] tab and sep (reopened)"),
    ])
    func subjects(severity: AlertSeverity, event: NotificationEvent, title: String, subject: String) {
        #expect(EmailContent.render(event: event, alert: F.alert(title: title, severity: severity)).subject == subject)
    }

    @Test func longSubjectsAreCut() {
        let subject = EmailContent.render(event: .triggered, alert: F.alert(title: String(repeating: "x", count: 500))).subject
        #expect(subject.unicodeScalars.count == EmailContent.maxSubjectLength)
        #expect(subject.hasPrefix("[Vigil][CRITICAL] xxx") && subject.hasSuffix("…"))
    }

    @Test(arguments: NotifyFixture.nastyStrings)
    func subjectIsAlwaysOneLine(title: String) {
        let subject = EmailContent.render(event: .triggered, alert: F.alert(title: title)).subject
        #expect(!subject.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{2029}" || $0.value == 0x7F })
    }

    @Test func textBody() {
        let alert = F.alert(state: .acknowledged, acknowledgedAt: F.t0.addingTimeInterval(60))
        let text = EmailContent.render(event: .acknowledged, alert: alert).text
        #expect(text.hasPrefix("Acknowledged: High CPU\n\nCPU above 90% for 5 minutes\n\n"))
        for line in ["Severity: critical", "State: acknowledged", "Source: api", "Workspace: acme", "Occurrences: 3",
                     "Triggered at: 2025-01-01T00:00:00Z", "Last seen at: 2025-01-01T00:05:00Z",
                     "Acknowledged at: 2025-01-01T00:01:00Z", "Fingerprint: \(alert.fingerprint)",
                     "Labels:\n  env=prod\n  service=api\n", "Annotations:\n  runbook: https://runbooks.example/cpu\n",
                     "Open: \(alert.link!)"] {
            #expect(text.contains(line), "missing \(line)")
        }
        #expect(!text.contains("Resolved at"))
    }

    @Test func htmlStructure() {
        let alert = F.alert()
        let html = EmailContent.render(event: .triggered, alert: alert).html
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>[Vigil][CRITICAL] High CPU (triggered)</title>"))
        #expect(html.contains("<h1 style=\"margin:4px 0 0 0;font-size:20px;\">High CPU</h1>"))
        #expect(html.contains(">Severity</th><td style="))
        #expect(html.contains(">env</th><td style=\"padding:4px 8px;border:1px solid #dddddd;vertical-align:top;text-align:left;white-space:pre-wrap;word-break:break-word;\">prod</td></tr>"))
        #expect(html.contains("<a href=\"\(alert.link!)\""))
        #expect(html.contains("border-left:6px solid #D32F2F"))
        #expect(html.hasSuffix("</body></html>\n"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<style"))   // inline styles only: mail clients strip <style>
    }

    @Test func resolvedIsGreen() {
        #expect(EmailContent.render(event: .resolved, alert: F.alert(state: .resolved, resolvedAt: F.t0)).html
            .contains("border-left:6px solid #2E7D32"))
    }

    /// Everything from the alert is escaped: title, message, source, workspace, label and
    /// annotation names and values.
    @Test(arguments: [
        ("<script>alert(\"x\")</script>", "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"),
        (#""><img src=x onerror=alert(1)>"#, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
        ("O'Brien & Sons", "O&#39;Brien &amp; Sons"),
        ("Überlast 🔥 日本語", "Überlast 🔥 日本語"),
    ])
    func htmlEscaping(raw: String, escaped: String) {
        var alert = F.alert(title: raw, message: raw, source: raw, labels: [raw: raw], annotations: ["note": raw])
        alert.workspace = raw
        let html = EmailContent.render(event: .triggered, alert: alert).html
        #expect(html.contains("font-size:20px;\">\(escaped)</h1>"))            // title
        #expect(html.contains("margin:0 0 16px 0;\">\(escaped)</p>"))          // message
        #expect(html.contains(">\(escaped)</th><td"))                           // label name
        #expect(html.contains("word-break:break-word;\">\(escaped)</td>"))      // values
        #expect(html.contains("Triggered · \(escaped)</p>"))                    // workspace
        #expect(html.contains("<title>[Vigil][CRITICAL] \(escaped) (triggered)</title>"))
        #expect(!html.contains("<script>") && !html.contains("<img"))
    }

    @Test(arguments: NotifyFixture.nastyStrings)
    func noRawMarkupFromTheAlert(text: String) {
        let html = EmailContent.render(event: .triggered, alert: F.alert(title: text, message: text, labels: ["k": text])).html
        #expect(!html.contains("<script") && !html.contains("<!channel") && !html.contains("<https"))
        #expect(!html.contains("'"))   // single quotes only ever come from the alert, escaped
    }

    @Test(arguments: [
        ("javascript:alert(1)", nil as String?),
        ("JaVaScRiPt:alert(1)", nil),
        ("data:text/html,<b>x</b>", nil),
        ("https://vigil.example/a b", nil),
        ("https://vigil.example/\"onmouseover=\"x", "https://vigil.example/&quot;onmouseover=&quot;x"),
        ("HTTP://vigil.example/a?x=1&y=2", "HTTP://vigil.example/a?x=1&amp;y=2"),
    ])
    func links(link: String, href: String?) {
        let content = EmailContent.render(event: .triggered, alert: F.alert(link: link))
        if let href {
            #expect(content.html.contains("<a href=\"\(href)\""))
            #expect(content.text.contains("Open: \(link)"))
        } else {
            #expect(!content.html.contains("<a "))
            #expect(!content.text.contains("Open:"))
            #expect(!content.html.lowercased().contains("javascript:") && !content.html.contains("data:"))
        }
    }

    @Test func summary() {
        let keys = Array(repeating: #"{team="<db>"}"#, count: 3) + ["{team=\"web\"}", "{x=\"1\"}"]
        let content = EmailContent.renderSummary(StormSummary(groupKeys: keys, top: 2), workspace: "acme")
        #expect(content.subject == "[Vigil][STORM] 5 alerts held back in acme")
        #expect(content.text.contains("5 alerts were recorded without individual notifications"))
        #expect(content.text.contains("By group:\n  3  {team=\"<db>\"}\n  1  {team=\"web\"}\n  1  Other groups\n"))
        #expect(content.html.contains(">{team=&quot;&lt;db&gt;&quot;}</th>"))
        #expect(content.html.contains(">Other groups</th>"))
        #expect(!content.html.contains("<db>"))
        let one = EmailContent.renderSummary(StormSummary(groupKeys: ["{}"]), workspace: "a\nb<i>")
        #expect(one.subject == "[Vigil][STORM] 1 alert held back in a b<i>")
        #expect(one.html.contains("Alert storm in a\nb&lt;i&gt;</h1>"))
        #expect(!one.text.contains("Other groups"))
    }
}
