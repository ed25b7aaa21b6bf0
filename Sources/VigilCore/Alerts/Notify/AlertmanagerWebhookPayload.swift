import Foundation
import VigilPrimitives

/// Vigil alerts in Alertmanager's webhook shape (version 4), for receivers written for
/// Alertmanager (`webhook_configs`): PagerDuty/Opsgenie bridges, chat bots, custom tooling.
///
/// Differences from a real Alertmanager, none of which such receivers rely on:
/// - `fingerprint` is Vigil's (64 hex digits, or the client's `dedup_key`), not 16 hex digits;
/// - times are to the second (Alertmanager writes nanoseconds);
/// - `groupKey` is `{}:` (the root route) followed by `NotificationGrouping.groupKey` of the
///   group labels, e.g. `{}:{alertname="High CPU",env="prod"}`;
/// - acknowledged alerts are `firing` (Alertmanager has no acknowledgement).
public enum AlertmanagerWebhookPayload {
    public static let version = "4"

    /// Each alert's labels get `alertname` = title and `severity` = its severity when it has
    /// no such label (Alertmanager receivers look for both). `commonLabels` and
    /// `commonAnnotations` are the pairs equal (byte for byte) in every alert, computed after
    /// that. `endsAt` is Go's zero time while an alert is open, else its `resolvedAt` (or
    /// `lastSeenAt` if a resolved snapshot has none). `generatorURL` is the alert's `link`, or
    /// "" without one. `status` is `firing` when any alert is open, else `resolved` (also for
    /// an empty list).
    public static func render(alerts: [AlertSnapshot], receiver: String, groupLabels: [String: String],
                              externalURL: String) -> [UInt8] {
        let labelSets = alerts.map(labels(of:))
        let items: [CanonicalJSON] = zip(alerts, labelSets).map { alert, labels in
            .object([
                "status": .string(alert.state.isOpen ? "firing" : "resolved"),
                "labels": .strings(labels),
                "annotations": .strings(alert.annotations),
                "startsAt": .time(alert.triggeredAt),
                "endsAt": .string(alert.state.isOpen
                    ? NotifyTime.alertmanagerZero
                    : NotifyTime.rfc3339(alert.resolvedAt ?? alert.lastSeenAt)),
                "generatorURL": .string(alert.link ?? ""),
                "fingerprint": .string(alert.fingerprint),
            ])
        }
        return CanonicalJSON.object([
            "version": .string(version),
            "groupKey": .string("{}:" + NotificationGrouping.groupKey(labels: groupLabels, by: Array(groupLabels.keys))),
            "truncatedAlerts": .int(0),
            "status": .string(alerts.contains { $0.state.isOpen } ? "firing" : "resolved"),
            "receiver": .string(receiver),
            "groupLabels": .strings(groupLabels),
            "commonLabels": .strings(common(labelSets)),
            "commonAnnotations": .strings(common(alerts.map(\.annotations))),
            "externalURL": .string(externalURL),
            "alerts": .array(items),
        ]).notificationBytes
    }

    /// The alert's labels plus `alertname` and `severity` where absent.
    static func labels(of alert: AlertSnapshot) -> [String: String] {
        var labels = alert.labels
        if labels["alertname"] == nil { labels["alertname"] = alert.title }
        if labels["severity"] == nil { labels["severity"] = alert.severity.rawValue }
        return labels
    }

    /// Pairs present with the same value in every dictionary (empty for no dictionaries).
    static func common(_ sets: [[String: String]]) -> [String: String] {
        guard var result = sets.first else { return [:] }
        for set in sets.dropFirst() {
            result = result.filter { key, value in set[key].map { $0.utf8.elementsEqual(value.utf8) } ?? false }
        }
        return result
    }
}
