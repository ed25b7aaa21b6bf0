import Foundation
import Testing
import VigilCore

struct WebhookPayloadTests {
    typealias F = NotifyFixture

    /// The whole body, byte for byte: keys sorted, no whitespace, times to the second.
    @Test func goldenBody() {
        let alert = F.alert(title: "High CPU", message: "m", labels: ["env": "prod"], annotations: [:], link: nil)
        let body = WebhookPayload.vigil(event: .escalated, alert: alert, escalationLevel: 1, sentAt: F.t0.addingTimeInterval(360.75))
        let expected = #"{"alert":{"acknowledged_at":null,"annotations":{},"# +
            #""fingerprint":"3f0a9c2d4b5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8","# +
            #""id":"6f1c0e9a-3b1d-4c55-9a61-2f5d7c8e9b10","labels":{"env":"prod"},"# +
            #""last_seen_at":"2025-01-01T00:05:00Z","link":null,"message":"m","occurrence_count":3,"# +
            #""resolved_at":null,"severity":"critical","source":"api","state":"triggered","title":"High CPU","# +
            #""triggered_at":"2025-01-01T00:00:00Z","workspace":"acme"},"# +
            #""escalation_level":1,"event":"escalated","sent_at":"2025-01-01T00:06:00Z","version":"1"}"#
        #expect(F.text(body) == expected)
    }

    @Test(arguments: NotificationEvent.allCases)
    func fields(event: NotificationEvent) throws {
        let alert = F.alert(state: .acknowledged, acknowledgedAt: F.t0.addingTimeInterval(120))
        let body = try F.object(WebhookPayload.vigil(event: event, alert: alert, escalationLevel: nil, sentAt: F.t0))
        #expect(body.string("version") == "1")
        #expect(body.string("event") == event.rawValue)
        #expect(body.string("sent_at") == "2025-01-01T00:00:00Z")
        #expect(body["escalation_level"] == nil)   // absent, not null
        let a = try body.object("alert")
        #expect(a.string("id") == alert.id)
        #expect(a.string("workspace") == "acme")
        #expect(a.string("fingerprint") == alert.fingerprint)
        #expect(a.string("title") == "High CPU")
        #expect(a.string("message") == alert.message)
        #expect(a.string("source") == "api")
        #expect(a.string("severity") == "critical")
        #expect(a.string("state") == "acknowledged")
        #expect(a.strings("labels") == ["env": "prod", "service": "api"])
        #expect(a.strings("annotations") == alert.annotations)
        #expect(a.int("occurrence_count") == 3)
        #expect(a.string("triggered_at") == "2025-01-01T00:00:00Z")
        #expect(a.string("last_seen_at") == "2025-01-01T00:05:00Z")
        #expect(a.string("acknowledged_at") == "2025-01-01T00:02:00Z")
        #expect(a.isNull("resolved_at"))
        #expect(a.string("link") == alert.link)
    }

    @Test(arguments: [(nil as Int?, false), (0, true), (3, true)])
    func escalationLevel(level: Int?, present: Bool) throws {
        let body = try F.object(WebhookPayload.vigil(event: .escalated, alert: F.alert(), escalationLevel: level, sentAt: F.t0))
        #expect((body["escalation_level"] != nil) == present)
        #expect(body.int("escalation_level") == level)
    }

    /// Times: UTC, to the second, fractions rounded down, before 1970 too.
    @Test(arguments: [
        (1_735_689_600.0, "2025-01-01T00:00:00Z"),
        (1_735_689_659.999, "2025-01-01T00:00:59Z"),
        (1_709_208_000, "2024-02-29T12:00:00Z"),
        (951_868_799, "2000-02-29T23:59:59Z"),
        (4_107_542_400, "2100-03-01T00:00:00Z"),
        (0, "1970-01-01T00:00:00Z"),
        (-0.5, "1969-12-31T23:59:59Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (-2_208_988_800, "1900-01-01T00:00:00Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
    ])
    func timestamps(epoch: TimeInterval, expected: String) throws {
        let body = try F.object(WebhookPayload.vigil(event: .triggered, alert: F.alert(), escalationLevel: nil,
                                                     sentAt: Date(timeIntervalSince1970: epoch)))
        #expect(body.string("sent_at") == expected)
    }

    @Test(arguments: NotifyFixture.nastyStrings)
    func escapingRoundTrips(text: String) throws {
        let alert = F.alert(title: text, message: text, source: text, labels: [text: text], annotations: ["a": text])
        let bytes = WebhookPayload.vigil(event: .triggered, alert: alert, escalationLevel: nil, sentAt: F.t0)
        let a = try F.object(bytes).object("alert")
        for key in ["title", "message", "source"] {
            #expect(try #require(a.string(key)).unicodeScalars.elementsEqual(text.unicodeScalars))
        }
        #expect(try #require(a.strings("labels")?[text]).unicodeScalars.elementsEqual(text.unicodeScalars))
        #expect(a.strings("annotations")?["a"] == text)
        // Raw control characters never appear in the body (they are escaped).
        #expect(!bytes.contains(where: { $0 < 0x20 }))
    }

    @Test(arguments: [
        ("q\"b\\n\n", #""q\"b\\n\n""#),
        ("\u{0}\u{1F}\t\u{08}\u{0C}\r", #""\u0000\u001f\t\b\f\r""#),
        ("\u{2028}/é", #""\u2028/é""#),
    ])
    func escapingForms(title: String, encoded: String) {
        let body = F.text(WebhookPayload.vigil(event: .triggered, alert: F.alert(title: title), escalationLevel: nil, sentAt: F.t0))
        #expect(body.contains(#""title":"# + encoded))
    }

    /// Same content, different dictionary histories: same bytes (stable digests).
    @Test func deterministic() {
        let keys = (0..<40).map { "k\($0)" }
        var forward: [String: String] = [:]
        for key in keys { forward[key] = key }
        var backward: [String: String] = [:]
        for key in keys.reversed() { backward[key] = key }
        backward.reserveCapacity(500)
        let a = WebhookPayload.vigil(event: .triggered, alert: F.alert(labels: forward), escalationLevel: nil, sentAt: F.t0)
        let b = WebhookPayload.vigil(event: .triggered, alert: F.alert(labels: backward), escalationLevel: nil, sentAt: F.t0)
        #expect(a == b)
        // Keys are in byte order: "B" < "a" < "é".
        let body = F.text(WebhookPayload.vigil(event: .triggered, alert: F.alert(labels: ["é": "1", "a": "2", "B": "3"]),
                                              escalationLevel: nil, sentAt: F.t0))
        #expect(body.contains(#""labels":{"B":"3","a":"2","é":"1"}"#))
    }
}

struct StormSummaryPayloadTests {
    typealias F = NotifyFixture

    @Test func fields() throws {
        let keys = Array(repeating: #"{env="prod"}"#, count: 5) + Array(repeating: #"{env="dev"}"#, count: 2) + ["{}", "{x=\"1\"}"]
        let summary = StormSummary(groupKeys: keys, top: 2)
        let bytes = StormSummaryPayload.vigil(summary: summary, workspace: "acme", minute: 28_928_160, sentAt: F.t0.addingTimeInterval(61))
        let body = try F.object(bytes)
        #expect(body.string("version") == "1")
        #expect(body.string("event") == "storm_summary")
        #expect(body.string("workspace") == "acme")
        #expect(body.int("minute") == 28_928_160)
        #expect(body.string("window_start") == "2025-01-01T00:00:00Z")
        #expect(body.string("window_end") == "2025-01-01T00:01:00Z")
        #expect(body.string("sent_at") == "2025-01-01T00:01:01Z")
        #expect(body.int("count") == 9)
        let groups = try body.array("top_groups")
        #expect(groups.map { $0.string("key") } == [#"{env="prod"}"#, #"{env="dev"}"#])
        #expect(groups.map { $0.int("count") } == [5, 2])
        #expect(body.int("other_group_count") == 2)
        #expect(F.text(bytes).contains(#""key":"{env=\"prod\"}""#))
        #expect(StormSummaryPayload.vigil(summary: StormSummary(groupKeys: keys.reversed(), top: 2), workspace: "acme",
                                          minute: 28_928_160, sentAt: F.t0.addingTimeInterval(61)) == bytes)
    }

    @Test func empty() throws {
        let body = try F.object(StormSummaryPayload.vigil(summary: StormSummary(groupKeys: []), workspace: "w", minute: 0, sentAt: F.t0))
        #expect(body.int("count") == 0)
        #expect(try body.array("top_groups").isEmpty)
        #expect(body.int("other_group_count") == 0)
        #expect(body.string("window_start") == "1970-01-01T00:00:00Z")
    }
}

struct AlertSnapshotTests {
    @Test func codableRoundTripWithSnakeCaseKeys() throws {
        let alert = NotifyFixture.alert(state: .resolved, resolvedAt: NotifyFixture.t0.addingTimeInterval(900))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        let data = try encoder.encode(alert)
        let object = try NotifyFixture.object(Array(data))
        #expect(Set(object.keys) == ["id", "workspace", "fingerprint", "title", "message", "source", "severity", "state",
                                     "labels", "annotations", "occurrence_count", "triggered_at", "last_seen_at",
                                     "resolved_at", "link"])   // nil acknowledged_at is left out by JSONEncoder
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        #expect(try decoder.decode(AlertSnapshot.self, from: data) == alert)
    }

    @Test func events() {
        #expect(NotificationEvent.allCases.map(\.rawValue) == ["triggered", "acknowledged", "resolved", "escalated", "reopened"])
        #expect(NotificationEvent.allCases.filter(\.opens) == [.triggered, .escalated, .reopened])
    }
}
