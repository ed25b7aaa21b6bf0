import Foundation
import VigilPrimitives

/// PagerDuty Events API v2 bodies (`POST` to `endpoint` as `application/json`; 202 means
/// accepted). `dedup_key` is the alert's fingerprint (at most 255 bytes, PagerDuty's limit,
/// which `AlertFingerprint.validateDedupKey` enforces on input), so trigger, acknowledge and
/// resolve of one Vigil alert all land on one PagerDuty incident.
public enum PagerDutyEvent {
    public static let endpoint = "https://events.pagerduty.com/v2/enqueue"
    /// PagerDuty's limit on `payload.summary`.
    public static let maxSummaryLength = 1024

    /// `triggered`, `reopened` and `escalated` send `trigger` (PagerDuty folds a repeated
    /// trigger with the same `dedup_key` into the open incident, or opens a new one after a
    /// resolve); `acknowledged` sends `acknowledge`; `resolved` sends `resolve`.
    public static func action(for event: NotificationEvent) -> String {
        switch event {
        case .triggered, .reopened, .escalated: "trigger"
        case .acknowledged: "acknowledge"
        case .resolved: "resolve"
        }
    }

    /// PagerDuty knows four severities.
    public static func severity(_ severity: AlertSeverity) -> String {
        switch severity {
        case .critical: "critical"
        case .high: "error"
        case .medium: "warning"
        case .low, .info: "info"
        }
    }

    /// Always a body: every event has something to tell PagerDuty. A trigger carries `payload`
    /// (`summary` = the title cut to 1024 characters, `source`, `severity`, `timestamp` = the
    /// trigger time, `component`/`group`/`class` from the labels of those names when non-empty,
    /// and `custom_details` with labels, annotations, occurrence_count, alert_id, workspace and
    /// message), plus `client: "Vigil"` and `client_url` when the alert has an http(s) link.
    /// Acknowledge and resolve carry only `routing_key`, `event_action` and `dedup_key`.
    public static func render(event: NotificationEvent, alert: AlertSnapshot, routingKey: String) -> [UInt8] {
        let action = action(for: event)
        var body: [String: CanonicalJSON] = [
            "routing_key": .string(routingKey),
            "event_action": .string(action),
            "dedup_key": .string(alert.fingerprint),
        ]
        if action == "trigger" {
            var payload: [String: CanonicalJSON] = [
                "summary": .string(NotifyText.truncated(alert.title, maxScalars: maxSummaryLength)),
                "source": .string(alert.source),
                "severity": .string(severity(alert.severity)),
                "timestamp": .time(alert.triggeredAt),
                "custom_details": .object([
                    "labels": .strings(alert.labels),
                    "annotations": .strings(alert.annotations),
                    "occurrence_count": .int(Int64(alert.occurrenceCount)),
                    "alert_id": .string(alert.id),
                    "workspace": .string(alert.workspace),
                    "message": .string(alert.message),
                ]),
            ]
            for key in ["component", "group", "class"] {
                if let value = alert.labels[key], !value.isEmpty { payload[key] = .string(value) }
            }
            body["payload"] = .object(payload)
            body["client"] = .string("Vigil")
            if let link = NotifyText.safeLink(alert.link) { body["client_url"] = .string(link) }
        }
        return CanonicalJSON.object(body).notificationBytes
    }
}
