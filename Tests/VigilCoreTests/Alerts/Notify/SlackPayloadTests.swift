import Foundation
import Testing
import VigilCore

struct SlackPayloadTests {
    typealias F = NotifyFixture

    static func attachment(_ body: [String: Any]) throws -> [String: Any] {
        let attachments = try body.array("attachments")
        try #require(attachments.count == 1)
        return attachments[0]
    }

    @Test func message() throws {
        let body = try F.object(SlackPayload.render(event: .triggered, alert: F.alert()))
        #expect(body.string("text") == "[CRITICAL] High CPU (triggered) · acme")
        let a = try Self.attachment(body)
        #expect(a.string("title") == "High CPU")
        #expect(a.string("title_link") == F.alert().link)
        #expect(a.string("text") == "CPU above 90% for 5 minutes")
        #expect(a.string("pretext") == "*Triggered*")
        #expect(a.string("fallback") == "[CRITICAL] High CPU (triggered)")
        #expect(a.string("footer") == "Vigil · acme · 3f0a9c2d4b5e")
        #expect(a.int("ts") == 1_735_689_600)
        let fields = try a.array("fields")
        #expect(fields.map { $0.string("title") } == ["Severity", "State", "Source", "Occurrences", "Labels"])
        #expect(fields.map { $0.string("value") } == ["critical", "triggered", "api", "3", "env=prod\nservice=api"])
        #expect(fields.map { $0["short"] as? Bool } == [true, true, true, true, false])
    }

    @Test(arguments: [
        (AlertSeverity.critical, NotificationEvent.triggered, "#D32F2F"),
        (.high, .escalated, "#F57C00"),
        (.medium, .reopened, "#FBC02D"),
        (.low, .acknowledged, "#1976D2"),
        (.info, .triggered, "#9E9E9E"),
        (.critical, .resolved, "#2E7D32"),
        (.info, .resolved, "#2E7D32"),
    ])
    func colors(severity: AlertSeverity, event: NotificationEvent, color: String) throws {
        let a = try Self.attachment(F.object(SlackPayload.render(event: event, alert: F.alert(severity: severity))))
        #expect(a.string("color") == color)
    }

    @Test func optionalParts() throws {
        let a = try Self.attachment(F.object(SlackPayload.render(event: .triggered, alert: F.alert(message: "", labels: [:], link: nil))))
        #expect(a["text"] == nil)
        #expect(a["title_link"] == nil)
        #expect(try a.array("fields").count == 4)
    }

    @Test(arguments: ["javascript:alert(1)", "ftp://x.example/", "https://x.example/a b", "", "//x.example"])
    func unsafeLinksAreNotLinked(link: String) throws {
        let a = try Self.attachment(F.object(SlackPayload.render(event: .triggered, alert: F.alert(link: link))))
        #expect(a["title_link"] == nil)
    }

    /// `<!channel>`, `<@U123>` and `<url|text>` must arrive as text, not as Slack markup.
    @Test(arguments: [
        ("<!channel> disk full", "&lt;!channel&gt; disk full"),
        ("<@U123> & <https://evil.example|click>", "&lt;@U123&gt; &amp; &lt;https://evil.example|click&gt;"),
        ("a &amp; b", "a &amp;amp; b"),
        (#""quoted" 'single'"#, #""quoted" 'single'"#),
        ("Überlast 🔥", "Überlast 🔥"),
    ])
    func escaping(raw: String, escaped: String) throws {
        let alert = F.alert(title: raw, message: raw, source: raw, labels: ["k": raw])
        let body = try F.object(SlackPayload.render(event: .triggered, alert: alert))
        #expect(body.string("text") == "[CRITICAL] \(escaped) (triggered) · acme")
        let a = try Self.attachment(body)
        #expect(a.string("title") == escaped)
        #expect(a.string("text") == escaped)
        let fields = try a.array("fields")
        #expect(fields[2].string("value") == escaped)
        #expect(fields[4].string("value") == "k=" + escaped)
    }

    @Test(arguments: NotifyFixture.nastyStrings)
    func neverRawAngleBrackets(text: String) throws {
        let bytes = SlackPayload.render(event: .triggered, alert: F.alert(title: text, message: text, labels: [text: text]))
        _ = try F.object(bytes)   // valid JSON
        #expect(!F.text(bytes).contains("<"))
        #expect(!F.text(bytes).contains(">"))
    }

    @Test func longMessagesAreCut() throws {
        let a = try Self.attachment(F.object(SlackPayload.render(event: .triggered,
                                                                  alert: F.alert(message: String(repeating: "x", count: 5000)))))
        let text = try #require(a.string("text"))
        #expect(text.unicodeScalars.count == SlackPayload.maxMessageLength)
        #expect(text.hasSuffix("…"))
    }

    @Test func summary() throws {
        let keys = Array(repeating: #"{team="<db>"}"#, count: 4) + ["{team=\"web\"}", "{a=\"1\"}", "{b=\"2\"}"]
        let body = try F.object(SlackPayload.renderSummary(StormSummary(groupKeys: keys, top: 2), workspace: "acme"))
        #expect(body.string("text") == "Alert storm in acme: 7 new alerts held back this minute")
        let a = try Self.attachment(body)
        let fields = try a.array("fields")
        #expect(fields.map { $0.string("title") } == [#"{team="&lt;db&gt;"}"#, #"{a="1"}"#, "Other groups"])
        #expect(fields.map { $0.string("value") } == ["4", "1", "2"])
        #expect(a.string("footer") == "Vigil · acme")
    }

    @Test func summaryOfOne() throws {
        let body = try F.object(SlackPayload.renderSummary(StormSummary(groupKeys: ["{}"]), workspace: "w<1>"))
        #expect(body.string("text") == "Alert storm in w&lt;1&gt;: 1 new alert held back this minute")
        #expect(try Self.attachment(body).array("fields").count == 1)   // no "Other groups"
    }
}
