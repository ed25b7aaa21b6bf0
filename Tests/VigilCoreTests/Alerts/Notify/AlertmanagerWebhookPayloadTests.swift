import Foundation
import Testing
import VigilCore

struct AlertmanagerWebhookPayloadTests {
    typealias F = NotifyFixture

    static func render(_ alerts: [AlertSnapshot], groupLabels: [String: String] = ["alertname": "High CPU"]) throws -> [String: Any] {
        try F.object(AlertmanagerWebhookPayload.render(alerts: alerts, receiver: "team-db", groupLabels: groupLabels,
                                                       externalURL: "https://vigil.example"))
    }

    @Test func envelope() throws {
        let body = try Self.render([F.alert()], groupLabels: ["alertname": "High CPU", "env": "prod"])
        #expect(body.string("version") == "4")
        #expect(body.string("groupKey") == #"{}:{alertname="High CPU",env="prod"}"#)
        #expect(body.int("truncatedAlerts") == 0)
        #expect(body.string("status") == "firing")
        #expect(body.string("receiver") == "team-db")
        #expect(body.strings("groupLabels") == ["alertname": "High CPU", "env": "prod"])
        #expect(body.string("externalURL") == "https://vigil.example")
        #expect(Set(body.keys) == ["version", "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels",
                                   "commonLabels", "commonAnnotations", "externalURL", "alerts"])
    }

    @Test func openAlert() throws {
        let alert = try #require(try Self.render([F.alert()]).array("alerts").first)
        #expect(alert.string("status") == "firing")
        #expect(alert.strings("labels") == ["env": "prod", "service": "api", "alertname": "High CPU", "severity": "critical"])
        #expect(alert.strings("annotations") == ["runbook": "https://runbooks.example/cpu"])
        #expect(alert.string("startsAt") == "2025-01-01T00:00:00Z")
        #expect(alert.string("endsAt") == "0001-01-01T00:00:00Z")   // Go's zero time: still firing
        #expect(alert.string("generatorURL") == F.alert().link)
        #expect(alert.string("fingerprint") == F.alert().fingerprint)
        #expect(Set(alert.keys) == ["status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"])
    }

    @Test(arguments: [
        (AlertState.resolved, F.t0.addingTimeInterval(600) as Date?, "resolved", "2025-01-01T00:10:00Z"),
        (.resolved, nil, "resolved", "2025-01-01T00:05:00Z"),   // no resolvedAt: lastSeenAt
        (.acknowledged, nil, "firing", "0001-01-01T00:00:00Z"),
        (.triggered, nil, "firing", "0001-01-01T00:00:00Z"),
    ])
    func statusAndEnd(state: AlertState, resolvedAt: Date?, status: String, endsAt: String) throws {
        let alert = try #require(try Self.render([F.alert(state: state, resolvedAt: resolvedAt)]).array("alerts").first)
        #expect(alert.string("status") == status)
        #expect(alert.string("endsAt") == endsAt)
    }

    @Test(arguments: [
        ([AlertState.triggered], "firing"),
        ([.resolved, .acknowledged], "firing"),
        ([.resolved, .resolved], "resolved"),
        ([], "resolved"),
    ])
    func groupStatus(states: [AlertState], expected: String) throws {
        #expect(try Self.render(states.map { F.alert(state: $0) }).string("status") == expected)
    }

    @Test func existingAlertnameAndSeverityLabelsWin() throws {
        let labels = ["alertname": "CPUHigh", "severity": "warning"]
        let alert = try #require(try Self.render([F.alert(severity: .medium, labels: labels)]).array("alerts").first)
        #expect(alert.strings("labels") == labels)
    }

    @Test func commonLabelsAndAnnotations() throws {
        let a = F.alert(title: "Disk full", severity: .high, labels: ["env": "prod", "host": "a", "team": "db"],
                        annotations: ["runbook": "r", "summary": "a full"])
        let b = F.alert(title: "Disk full", severity: .high, labels: ["env": "prod", "host": "b", "team": "db"],
                        annotations: ["runbook": "r", "summary": "b full"])
        let c = F.alert(title: "Disk full", severity: .critical, labels: ["env": "prod", "host": "c"], annotations: ["runbook": "r"])
        let body = try Self.render([a, b, c])
        #expect(body.strings("commonLabels") == ["env": "prod", "alertname": "Disk full"])   // severity differs
        #expect(body.strings("commonAnnotations") == ["runbook": "r"])
        let two = try Self.render([a, b])
        #expect(two.strings("commonLabels") == ["env": "prod", "team": "db", "alertname": "Disk full", "severity": "high"])
        #expect(try Self.render([]).strings("commonLabels") == [:])
        #expect(try Self.render([]).array("alerts").isEmpty)
    }

    @Test func noLinkMeansEmptyGeneratorURL() throws {
        let alert = try #require(try Self.render([F.alert(link: nil)]).array("alerts").first)
        #expect(alert.string("generatorURL") == "")
    }

    @Test(arguments: NotifyFixture.nastyStrings)
    func escaping(text: String) throws {
        let body = try Self.render([F.alert(title: text, labels: ["x": text], annotations: ["d": text])], groupLabels: ["x": text])
        let alert = try #require(try body.array("alerts").first)
        #expect(alert.strings("labels")?["alertname"] == text)
        #expect(alert.strings("labels")?["x"] == text)
        #expect(alert.strings("annotations")?["d"] == text)
        #expect(body.strings("groupLabels")?["x"] == text)
        #expect(try #require(body.string("groupKey")).hasPrefix("{}:{x=\""))
    }
}
