import Foundation
import Testing
import VigilCore

struct PagerDutyEventTests {
    typealias F = NotifyFixture

    @Test func endpoint() {
        #expect(PagerDutyEvent.endpoint == "https://events.pagerduty.com/v2/enqueue")
    }

    @Test(arguments: [
        (NotificationEvent.triggered, "trigger"),
        (.reopened, "trigger"),
        (.escalated, "trigger"),
        (.acknowledged, "acknowledge"),
        (.resolved, "resolve"),
    ])
    func actions(event: NotificationEvent, action: String) throws {
        let body = try F.object(PagerDutyEvent.render(event: event, alert: F.alert(), routingKey: "R0UT1NG"))
        #expect(body.string("event_action") == action)
        #expect(body.string("routing_key") == "R0UT1NG")
        #expect(body.string("dedup_key") == F.alert().fingerprint)
        #expect((body["payload"] != nil) == (action == "trigger"))
        if action != "trigger" {
            #expect(Set(body.keys) == ["routing_key", "event_action", "dedup_key"])
        }
    }

    @Test(arguments: [
        (AlertSeverity.critical, "critical"), (.high, "error"), (.medium, "warning"), (.low, "info"), (.info, "info"),
    ])
    func severities(severity: AlertSeverity, expected: String) throws {
        let payload = try F.object(PagerDutyEvent.render(event: .triggered, alert: F.alert(severity: severity), routingKey: "k"))
            .object("payload")
        #expect(payload.string("severity") == expected)
    }

    @Test func triggerPayload() throws {
        let alert = F.alert(labels: ["env": "prod", "component": "postgres", "group": "db", "class": "", "service": "api"])
        let body = try F.object(PagerDutyEvent.render(event: .triggered, alert: alert, routingKey: "k"))
        #expect(body.string("client") == "Vigil")
        #expect(body.string("client_url") == alert.link)
        let payload = try body.object("payload")
        #expect(payload.string("summary") == "High CPU")
        #expect(payload.string("source") == "api")
        #expect(payload.string("timestamp") == "2025-01-01T00:00:00Z")
        #expect(payload.string("component") == "postgres")
        #expect(payload.string("group") == "db")
        #expect(payload["class"] == nil)   // empty label: left out
        let details = try payload.object("custom_details")
        #expect(details.strings("labels") == alert.labels)
        #expect(details.strings("annotations") == alert.annotations)
        #expect(details.int("occurrence_count") == 3)
        #expect(details.string("alert_id") == alert.id)
        #expect(details.string("workspace") == "acme")
        #expect(details.string("message") == alert.message)
    }

    @Test func withoutOptionalParts() throws {
        let body = try F.object(PagerDutyEvent.render(event: .reopened, alert: F.alert(labels: [:], link: "javascript:x"), routingKey: "k"))
        #expect(body["client_url"] == nil)
        let payload = try body.object("payload")
        for key in ["component", "group", "class"] { #expect(payload[key] == nil) }
    }

    @Test(arguments: [(10, 10, false), (1024, 1024, false), (1025, 1024, true), (5000, 1024, true)])
    func summaryLimit(length: Int, expected: Int, cut: Bool) throws {
        let title = String(repeating: "é", count: length)
        let summary = try #require(try F.object(PagerDutyEvent.render(event: .triggered, alert: F.alert(title: title), routingKey: "k"))
            .object("payload").string("summary"))
        #expect(summary.unicodeScalars.count == expected)
        #expect(summary.hasSuffix("…") == cut)
    }

    @Test(arguments: NotifyFixture.nastyStrings)
    func escaping(text: String) throws {
        let body = try F.object(PagerDutyEvent.render(event: .triggered, alert: F.alert(title: text, source: text, labels: ["x": text]),
                                                      routingKey: text))
        #expect(body.string("routing_key") == text)
        let payload = try body.object("payload")
        #expect(payload.string("summary") == text)
        #expect(payload.string("source") == text)
        #expect(try payload.object("custom_details").strings("labels")?["x"] == text)
    }
}
