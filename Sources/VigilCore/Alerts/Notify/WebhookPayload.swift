import Foundation
import VigilPrimitives

/// Vigil's own webhook body (a generic webhook channel), signed with `WebhookSignature`.
///
///     {"alert":{"acknowledged_at":null,"annotations":{},"fingerprint":"…","id":"…",
///      "labels":{"env":"prod"},"last_seen_at":"2025-01-01T00:05:00Z","link":null,
///      "message":"…","occurrence_count":3,"resolved_at":null,"severity":"critical",
///      "source":"api","state":"triggered","title":"High CPU",
///      "triggered_at":"2025-01-01T00:00:00Z","workspace":"acme"},
///      "escalation_level":1,"event":"escalated","sent_at":"2025-01-01T00:06:00Z","version":"1"}
///
/// Keys are snake_case and sorted by UTF-8 bytes, with no whitespace, so the same input always
/// gives the same bytes. Times are RFC 3339 UTC to the second. `acknowledged_at`,
/// `resolved_at` and `link` are always present (null when unset); `escalation_level` only on
/// escalation notifications (the caller's number, passed through as given).
public enum WebhookPayload {
    public static let version = "1"

    public static func vigil(event: NotificationEvent, alert: AlertSnapshot, escalationLevel: Int?, sentAt: Date) -> [UInt8] {
        var body: [String: CanonicalJSON] = [
            "version": .string(version),
            "event": .string(event.rawValue),
            "sent_at": .time(sentAt),
            "alert": alertObject(alert),
        ]
        if let escalationLevel { body["escalation_level"] = .int(Int64(escalationLevel)) }
        return CanonicalJSON.object(body).notificationBytes
    }

    static func alertObject(_ alert: AlertSnapshot) -> CanonicalJSON {
        .object([
            "id": .string(alert.id),
            "workspace": .string(alert.workspace),
            "fingerprint": .string(alert.fingerprint),
            "title": .string(alert.title),
            "message": .string(alert.message),
            "source": .string(alert.source),
            "severity": .string(alert.severity.rawValue),
            "state": .string(alert.state.rawValue),
            "labels": .strings(alert.labels),
            "annotations": .strings(alert.annotations),
            "occurrence_count": .int(Int64(alert.occurrenceCount)),
            "triggered_at": .time(alert.triggeredAt),
            "last_seen_at": .time(alert.lastSeenAt),
            "acknowledged_at": .time(alert.acknowledgedAt),
            "resolved_at": .time(alert.resolvedAt),
            "link": .optional(alert.link),
        ])
    }
}

/// The storm summary (see `StormGuard`) as a generic webhook body, in the same conventions as
/// `WebhookPayload`:
///
///     {"count":42,"event":"storm_summary","minute":28928160,"other_group_count":3,
///      "sent_at":"2025-01-01T00:01:00Z","top_groups":[{"count":30,"key":"{env=\"prod\"}"}],
///      "version":"1","window_end":"2025-01-01T00:01:00Z",
///      "window_start":"2025-01-01T00:00:00Z","workspace":"acme"}
///
/// `count` is the number of alerts held back; `window_start`/`window_end` bound the minute.
public enum StormSummaryPayload {
    public static let event = "storm_summary"

    public static func vigil(summary: StormSummary, workspace: String, minute: Int64, sentAt: Date) -> [UInt8] {
        CanonicalJSON.object([
            "version": .string(WebhookPayload.version),
            "event": .string(event),
            "sent_at": .time(sentAt),
            "workspace": .string(workspace),
            "minute": .int(minute),
            "window_start": .string(NotifyTime.rfc3339(epochSeconds: minute &* 60)),
            "window_end": .string(NotifyTime.rfc3339(epochSeconds: (minute &+ 1) &* 60)),
            "count": .int(Int64(summary.totalCount)),
            "top_groups": .array(summary.topGroups.map { .object(["key": .string($0.key), "count": .int(Int64($0.count))]) }),
            "other_group_count": .int(Int64(summary.otherGroupCount)),
        ]).notificationBytes
    }
}
