import Foundation
import Testing
import VigilCore

struct AlertmanagerWebhookMessageTests {
    /// What Alertmanager 0.27 posts (times with nanoseconds, as Go writes them).
    static let sample = #"""
    {"receiver":"vigil","status":"firing","alerts":[
      {"status":"firing","labels":{"alertname":"HighCPU","instance":"db-1:9100","severity":"critical","env":"prod"},
       "annotations":{"summary":"CPU above 90% on db-1","description":"5m average is 93%.\nCheck the batch jobs."},
       "startsAt":"2025-01-01T00:00:00.123456789Z","endsAt":"0001-01-01T00:00:00Z",
       "generatorURL":"http://prometheus:9090/graph?g0.expr=cpu","fingerprint":"b1c2d3e4f5a60718"},
      {"status":"resolved","labels":{"alertname":"DiskFull","severity":"warning"},"annotations":{},
       "startsAt":"2025-01-01T01:00:00+01:00","endsAt":"2025-01-01T00:30:00Z","generatorURL":"","fingerprint":""}],
     "groupLabels":{"alertname":"HighCPU"},"commonLabels":{"env":"prod"},"commonAnnotations":{},
     "externalURL":"http://alertmanager:9093","version":"4","groupKey":"{}:{alertname=\"HighCPU\"}","truncatedAlerts":0}
    """#

    static func parse(_ text: String) throws(ValidationFailure) -> AlertmanagerWebhookMessage {
        try AlertmanagerWebhookMessage.parse(Array(text.utf8))
    }

    @Test func parsesAlertmanagersPayload() throws {
        let message = try Self.parse(Self.sample)
        #expect(message.version == "4")
        #expect(message.groupKey == #"{}:{alertname="HighCPU"}"#)
        #expect(message.status == "firing")
        #expect(message.receiver == "vigil")
        #expect(message.groupLabels == ["alertname": "HighCPU"])
        #expect(message.commonLabels == ["env": "prod"])
        #expect(message.commonAnnotations == [:])
        #expect(message.externalURL == "http://alertmanager:9093")
        #expect(message.truncatedAlerts == 0)
        #expect(message.alerts.count == 2)
        let firing = message.alerts[0]
        #expect(firing.status == .firing)
        #expect(firing.labels["instance"] == "db-1:9100")
        #expect(firing.annotations["description"] == "5m average is 93%.\nCheck the batch jobs.")
        #expect(abs(firing.startsAt!.timeIntervalSince1970 - 1_735_689_600.123456789) < 1e-6)
        #expect(firing.endsAt == nil)
        #expect(firing.generatorURL == "http://prometheus:9090/graph?g0.expr=cpu")
        #expect(firing.fingerprint == "b1c2d3e4f5a60718")
        let resolved = message.alerts[1]
        #expect(resolved.status == .resolved)
        #expect(resolved.startsAt == Date(timeIntervalSince1970: 1_735_689_600))   // +01:00
        #expect(resolved.endsAt == Date(timeIntervalSince1970: 1_735_691_400))
        #expect(resolved.generatorURL == nil && resolved.fingerprint == nil)     // "" is none
    }

    @Test func minimalMessage() throws {
        let message = try Self.parse(#"{"version":"4","alerts":[{"status":"firing","labels":{"alertname":"X"}}]}"#)
        #expect(message.alerts == [.init(status: .firing, labels: ["alertname": "X"])])
        #expect(message.groupKey == "" && message.receiver == "" && message.commonLabels == [:])
        #expect(try Self.parse(#"{"version":"4","alerts":[]}"#).alerts.isEmpty)
        #expect(try Self.parse(#"{"version":"4","alerts":[{"status":"resolved","labels":null,"annotations":null}]}"#)
            .alerts == [.init(status: .resolved, labels: [:])])
    }

    @Test(arguments: [
        ("2025-01-01T00:00:00Z", 1_735_689_600.0 as Double?),
        ("2025-01-01T00:00:00.5Z", 1_735_689_600.5),
        ("2025-01-01T00:00:00.123456789Z", 1_735_689_600.123456789),
        ("2025-01-01T05:30:00+05:30", 1_735_689_600),
        ("2024-12-31T19:00:00-05:00", 1_735_689_600),
        ("2025-01-01t00:00:00z", 1_735_689_600),
        ("0001-01-01T00:00:00Z", nil),
        ("0001-01-01T00:00:00.000Z", nil),
        ("", nil),
    ])
    func timestamps(text: String, epoch: Double?) throws {
        let message = try Self.parse(#"{"version":"4","alerts":[{"status":"firing","labels":{},"startsAt":"\#(text)","endsAt":"\#(text)"}]}"#)
        let alert = try #require(message.alerts.first)
        if let epoch {
            #expect(abs(try #require(alert.startsAt).timeIntervalSince1970 - epoch) < 1e-6)
            #expect(abs(try #require(alert.endsAt).timeIntervalSince1970 - epoch) < 1e-6)
        } else {
            #expect(alert.startsAt == nil && alert.endsAt == nil)
        }
    }

    @Test(arguments: [
        (#"{"version":"3","alerts":[]}"#, "version"),
        (#"{"alerts":[]}"#, "version"),
        (#"{"version":4,"alerts":[]}"#, "version"),
        (#"{"version":"4"}"#, "alerts"),
        (#"{"version":"4","truncatedAlerts":-1,"alerts":[]}"#, "truncatedAlerts"),
        (#"{"version":"4","alerts":null}"#, "alerts"),
        (#"{"version":"4","alerts":{}}"#, "alerts"),
        (#"{"version":"4","alerts":[{"status":"firing","labels":{"env":1}}]}"#, "alerts[0].labels.env"),
        (#"{"version":"4","alerts":[{"status":"firing","labels":{"env":null}}]}"#, "alerts[0].labels.env"),
        (#"{"version":"4","alerts":[{"status":"firing","labels":{"env":["a"]}}]}"#, "alerts[0].labels.env"),
        (#"{"version":"4","alerts":[{"status":"firing","labels":[]}]}"#, "alerts[0].labels"),
        (#"{"version":"4","alerts":[{"status":"firing"},{"status":"firing","annotations":{"x":true}}]}"#, "alerts[1].annotations.x"),
        (#"{"version":"4","alerts":[],"groupLabels":{"a":1.5}}"#, "groupLabels.a"),
        (#"{"version":"4","alerts":[],"commonLabels":{"a":{}}}"#, "commonLabels.a"),
        (#"{"version":"4","alerts":[],"receiver":7}"#, "receiver"),
        (#"{"version":"4","alerts":[{"status":"pending"}]}"#, "alerts[0].status"),
        (#"{"version":"4","alerts":[{"labels":{}}]}"#, "alerts[0].status"),
        (#"{"version":"4","alerts":[{"status":"firing","startsAt":"yesterday"}]}"#, "alerts[0].startsAt"),
        (#"{"version":"4","alerts":[{"status":"firing"},{"status":"resolved","endsAt":"2025-01-01 00:00:00"}]}"#, "alerts[1].endsAt"),
        (#"{"version":"4","alerts":[{"status":"firing","startsAt":1735689600}]}"#, "alerts[0].startsAt"),
        (#"{"version":"4","alerts":["x"]}"#, "alerts[0]"),
        ("not json", "body"),
        ("", "body"),
        (#"[{"version":"4"}]"#, "body"),
        (#"{"version":"4","alerts":[]"#, "body"),
    ])
    func rejections(body: String, field: String) {
        #expect {
            _ = try Self.parse(body)
        } throws: { error in
            (error as? ValidationFailure)?.field == field
        }
    }

    @Test(arguments: [
        (#"{"version":"4","alerts":[{"status":"firing","labels":{"env":1}}]}"#, "must be a string"),
        (#"{"version":"4","alerts":[{"status":"firing","labels":{"env":null}}]}"#, "must be a string, not null"),
        (#"{"version":"4","alerts":[{"status":"firing","labels":[]}]}"#, "must be an object"),
        (#"{"version":"4","alerts":{}}"#, "must be an array"),
        (#"{"version":"4","alerts":[],"truncatedAlerts":"0"}"#, "must be an integer"),
        (#"{"version":"4","alerts":[{"status":"pending"}]}"#, "'pending' is not an alert status (firing or resolved)"),
        (#"{"version":"5","alerts":[]}"#, #"'5' is not a supported webhook version (only "4")"#),
        ("{", "the body is not valid JSON"),
    ])
    func rejectionMessages(body: String, message: String) {
        #expect {
            _ = try Self.parse(body)
        } throws: { error in
            (error as? ValidationFailure)?.message == message
        }
    }

    @Test func alertCountLimit() throws {
        func body(_ count: Int) -> String {
            #"{"version":"4","alerts":["# + Array(repeating: #"{"status":"firing","labels":{}}"#, count: count).joined(separator: ",") + "]}"
        }
        #expect(try Self.parse(body(1000)).alerts.count == 1000)
        #expect(throws: ValidationFailure(field: "alerts", message: "at most 1000 alerts per message")) { try Self.parse(body(1001)) }
    }
}

struct AlertmanagerMappingTests {
    static func alert(_ labels: [String: String], _ annotations: [String: String] = [:], status: AlertmanagerWebhookMessage.Status = .firing,
                      fingerprint: String? = "b1c2d3e4f5a60718") -> AlertmanagerWebhookMessage.Alert {
        .init(status: status, labels: labels, annotations: annotations, startsAt: NotifyFixture.t0, endsAt: nil,
              generatorURL: "http://prom/graph", fingerprint: fingerprint)
    }

    @Test func mapsTheSample() throws {
        let message = try AlertmanagerWebhookMessage.parse(Array(AlertmanagerWebhookMessageTests.sample.utf8))
        let firing = AlertmanagerMapping.map(message.alerts[0])
        #expect(firing == MappedAlert(isFiring: true, title: "CPU above 90% on db-1", message: "5m average is 93%.\nCheck the batch jobs.",
                                      severity: .critical, source: "alertmanager", labels: message.alerts[0].labels,
                                      annotations: message.alerts[0].annotations, dedupKey: "alertmanager:b1c2d3e4f5a60718",
                                      startsAt: message.alerts[0].startsAt, endsAt: nil,
                                      generatorURL: "http://prometheus:9090/graph?g0.expr=cpu"))
        let resolved = AlertmanagerMapping.map(message.alerts[1])
        #expect(!resolved.isFiring)
        #expect(resolved.title == "DiskFull" && resolved.message == "" && resolved.severity == .medium)
        #expect(resolved.endsAt == Date(timeIntervalSince1970: 1_735_691_400))
        #expect(resolved.dedupKey == "alertmanager:" + AlertFingerprint.derived(source: "alertmanager", title: "DiskFull",
                                                                                labels: ["alertname": "DiskFull", "severity": "warning"]))
        for mapped in [firing, resolved] {
            try AlertInputRules.validate(title: mapped.title, message: mapped.message, source: mapped.source,
                                         labels: mapped.labels, annotations: mapped.annotations)
            try AlertFingerprint.validateDedupKey(mapped.dedupKey)
        }
    }

    @Test(arguments: [
        (["alertname": "CPU"], ["summary": "Sum"], "Sum"),
        (["alertname": "CPU"], [:], "CPU"),
        (["alertname": "CPU"], ["summary": ""], "CPU"),      // empty counts as absent
        ([:], [:], "Alertmanager alert"),
        (["alertname": ""], ["summary": ""], "Alertmanager alert"),
    ])
    func titles(labels: [String: String], annotations: [String: String], title: String) {
        #expect(AlertmanagerMapping.map(Self.alert(labels, annotations)).title == title)
    }

    @Test(arguments: [
        (["description": "D", "message": "M"], "D"),
        (["message": "M"], "M"),
        (["description": "", "message": "M"], "M"),
        (["summary": "S"], ""),
    ])
    func messages(annotations: [String: String], message: String) {
        #expect(AlertmanagerMapping.map(Self.alert([:], annotations)).message == message)
    }

    @Test func longTextsAreCutToTheInputLimits() throws {
        let mapped = AlertmanagerMapping.map(Self.alert([:], ["summary": String(repeating: "s", count: 600),
                                                               "description": String(repeating: "d", count: 12_000)]))
        #expect(mapped.title.unicodeScalars.count == 500 && mapped.title.hasSuffix("…"))
        #expect(mapped.message.unicodeScalars.count == 10_000)
        try AlertInputRules.validate(title: mapped.title, message: mapped.message, source: mapped.source, labels: [:], annotations: [:])
    }

    @Test(arguments: [
        ("critical", AlertSeverity.critical), ("CRITICAL", .critical), ("high", .high), ("medium", .medium), ("low", .low),
        ("info", .info), ("warning", .medium), ("Warning", .medium), ("error", .high), ("ERROR", .high), ("page", .critical),
        ("warn", .medium), ("none", .info), (" high ", .high), ("bogus", .medium), ("", .medium), ("sev1", .medium),
    ])
    func severities(label: String, severity: AlertSeverity) {
        #expect(AlertmanagerMapping.severity(label: label) == severity)
        #expect(AlertmanagerMapping.map(Self.alert(["severity": label])).severity == severity)
    }

    @Test func noSeverityLabelIsMedium() {
        #expect(AlertmanagerMapping.severity(label: nil) == .medium)
        #expect(AlertmanagerMapping.map(Self.alert(["alertname": "X"])).severity == .medium)
    }

    @Test func dedupKeys() throws {
        let labels = ["alertname": "CPU", "env": "prod"]
        #expect(AlertmanagerMapping.map(Self.alert(labels)).dedupKey == "alertmanager:b1c2d3e4f5a60718")
        let derived = "alertmanager:" + AlertFingerprint.derived(source: "alertmanager", title: "CPU", labels: labels)
        #expect(AlertmanagerMapping.map(Self.alert(labels, fingerprint: nil)).dedupKey == derived)
        // The summary (which may carry values) does not enter the derived key: alertname does.
        #expect(AlertmanagerMapping.map(Self.alert(labels, ["summary": "CPU 93%"], fingerprint: nil)).dedupKey == derived)
        // Without alertname, the title does.
        #expect(AlertmanagerMapping.map(Self.alert(["env": "prod"], ["summary": "S"], fingerprint: nil)).dedupKey
            == "alertmanager:" + AlertFingerprint.derived(source: "alertmanager", title: "S", labels: ["env": "prod"]))
    }

    @Test(arguments: [(242, false), (243, true), (1000, true)])
    func longFingerprintsAreHashed(length: Int, hashed: Bool) throws {
        let fingerprint = String(repeating: "f", count: length)
        let key = AlertmanagerMapping.map(Self.alert([:], fingerprint: fingerprint)).dedupKey
        try AlertFingerprint.validateDedupKey(key)
        if hashed {
            #expect(key.hasPrefix("alertmanager:sha256:") && key.utf8.count == 20 + 64)
        } else {
            #expect(key == "alertmanager:" + fingerprint && key.utf8.count <= 255)
        }
    }
}
