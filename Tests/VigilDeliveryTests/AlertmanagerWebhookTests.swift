import DeliveryTestFixtures
import Foundation
import Testing

/// Real Alertmanager → real HTTP receiver: pins down the webhook payload shape (version 4,
/// firing then resolved, fingerprints) that Vigil's Alertmanager-compatible receiver and
/// forwarders must accept and produce.
@Suite("Alertmanager webhook")
struct AlertmanagerWebhookTests {
    @Test(.timeLimit(.minutes(1)))
    func firingThenResolvedPayloads() async throws {
        let receiver = HTTPReceiverPeer()
        defer { receiver.stop() }
        try await receiver.start()
        let alertmanager = AlertmanagerPeer()
        defer { alertmanager.stop() }
        try await alertmanager.start(webhookURL: receiver.url(path: "/alertmanager"))

        let labels = ["alertname": "VigilDiskFull", "instance": "db-1", "severity": "critical"]
        let startsAt = Date().addingTimeInterval(-60)
        try await alertmanager.push(alerts: [
            .init(labels: labels, annotations: ["summary": "disk 99% full"], startsAt: startsAt),
        ])

        let firing = try await waitForPayload(receiver, status: "firing")
        #expect(firing["version"] as? String == "4")
        #expect(firing["receiver"] as? String == "vigil-webhook")
        #expect((firing["groupKey"] as? String)?.isEmpty == false)
        let firingAlerts = try #require(firing["alerts"] as? [[String: Any]])
        try #require(firingAlerts.count == 1)
        let fingerprint = try #require(firingAlerts[0]["fingerprint"] as? String)
        #expect(!fingerprint.isEmpty)
        #expect(firingAlerts[0]["status"] as? String == "firing")
        #expect(firingAlerts[0]["labels"] as? [String: String] == labels)
        #expect((firingAlerts[0]["annotations"] as? [String: String])?["summary"] == "disk 99% full")

        // Resolve: same labels and start, endsAt in the past.
        try await alertmanager.push(alerts: [
            .init(labels: labels, annotations: ["summary": "disk 99% full"], startsAt: startsAt, endsAt: Date().addingTimeInterval(-1)),
        ])
        let resolved = try await waitForPayload(receiver, status: "resolved")
        let resolvedAlerts = try #require(resolved["alerts"] as? [[String: Any]])
        #expect(resolvedAlerts.first?["status"] as? String == "resolved")
        #expect(resolvedAlerts.first?["fingerprint"] as? String == fingerprint)
    }

    /// Polls the receiver (≤ 20 s) for a webhook POST whose top-level status matches.
    private func waitForPayload(_ receiver: HTTPReceiverPeer, status: String) async throws -> [String: Any] {
        let found = try await eventually(timeout: .seconds(20), interval: .milliseconds(200)) { () -> [String: Any]? in
            try await receiver.requests()
                .filter { $0.path == "/alertmanager" }
                .compactMap(\.jsonObject)
                .first { $0["status"] as? String == status }
        }
        return try #require(found, "no '\(status)' webhook within 20 s")
    }
}
