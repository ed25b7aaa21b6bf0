import Foundation

/// What a notification is about: a stored alert at the moment of the event. Renderers take
/// only this (and the event), so a notification job can snapshot it when it is enqueued and
/// render the same bytes on every retry.
public struct AlertSnapshot: Sendable, Equatable, Codable {
    /// Lowercase UUID.
    public var id: String
    /// Workspace slug.
    public var workspace: String
    public var fingerprint: String
    public var title: String
    public var message: String
    public var source: String
    public var severity: AlertSeverity
    public var state: AlertState
    public var labels: [String: String]
    public var annotations: [String: String]
    public var occurrenceCount: Int
    public var triggeredAt: Date
    public var lastSeenAt: Date
    public var acknowledgedAt: Date?
    public var resolvedAt: Date?
    /// Optional URL of the alert in the API or UI (Alertmanager's `externalURL`/`generatorURL`
    /// role). Renderers only turn it into a clickable link when it is `http(s)://`.
    public var link: String?

    public init(id: String, workspace: String, fingerprint: String, title: String, message: String,
                source: String, severity: AlertSeverity, state: AlertState,
                labels: [String: String], annotations: [String: String], occurrenceCount: Int,
                triggeredAt: Date, lastSeenAt: Date, acknowledgedAt: Date? = nil, resolvedAt: Date? = nil,
                link: String? = nil) {
        self.id = id
        self.workspace = workspace
        self.fingerprint = fingerprint
        self.title = title
        self.message = message
        self.source = source
        self.severity = severity
        self.state = state
        self.labels = labels
        self.annotations = annotations
        self.occurrenceCount = occurrenceCount
        self.triggeredAt = triggeredAt
        self.lastSeenAt = lastSeenAt
        self.acknowledgedAt = acknowledgedAt
        self.resolvedAt = resolvedAt
        self.link = link
    }

    enum CodingKeys: String, CodingKey {
        case id, workspace, fingerprint, title, message, source, severity, state, labels, annotations, link
        case occurrenceCount = "occurrence_count"
        case triggeredAt = "triggered_at"
        case lastSeenAt = "last_seen_at"
        case acknowledgedAt = "acknowledged_at"
        case resolvedAt = "resolved_at"
    }
}

/// Why a notification goes out. Stored as text (the raw values) in notification jobs and the
/// delivery ledger, and sent as `event` in Vigil's webhook.
public enum NotificationEvent: String, Sendable, Codable, CaseIterable, Hashable {
    case triggered, acknowledged, resolved, escalated, reopened

    /// The events that (re)open something at the receiver, as opposed to closing it.
    public var opens: Bool {
        switch self {
        case .triggered, .escalated, .reopened: true
        case .acknowledged, .resolved: false
        }
    }
}
