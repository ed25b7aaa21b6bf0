import Foundation

/// An alert as stored: what the API shows and what transitions compare-and-set on (`version`).
public struct AlertRecord: Sendable, Equatable {
    public var id: UUID
    public var fingerprint: String
    public var title: String
    public var message: String
    public var severity: AlertSeverity
    public var source: String
    public var labels: [String: String]
    public var annotations: [String: String]
    public var state: AlertState
    public var version: Int
    public var occurrenceCount: Int
    public var triggeredAt: Date
    public var lastSeenAt: Date
    public var acknowledgedAt: Date?
    public var acknowledgedBy: String?
    public var resolvedAt: Date?
    public var resolvedBy: String?
    public var escalationPolicyID: UUID?
    /// The policy as it stood when the alert (last) triggered.
    public var escalationPolicy: EscalationPolicy?
    /// The last escalation step notified, nil before the first.
    public var escalationStep: EscalationStep?
    public var escalationGeneration: Int
    public var stormSuppressed: Bool
    public var createdAt: Date

    public init(id: UUID, fingerprint: String, title: String, message: String, severity: AlertSeverity, source: String,
                labels: [String: String], annotations: [String: String], state: AlertState, version: Int = 1,
                occurrenceCount: Int = 1, triggeredAt: Date, lastSeenAt: Date, acknowledgedAt: Date? = nil,
                acknowledgedBy: String? = nil, resolvedAt: Date? = nil, resolvedBy: String? = nil,
                escalationPolicyID: UUID? = nil, escalationPolicy: EscalationPolicy? = nil, escalationStep: EscalationStep? = nil,
                escalationGeneration: Int = 0, stormSuppressed: Bool = false, createdAt: Date) {
        self.id = id; self.fingerprint = fingerprint; self.title = title; self.message = message; self.severity = severity
        self.source = source; self.labels = labels; self.annotations = annotations; self.state = state; self.version = version
        self.occurrenceCount = occurrenceCount; self.triggeredAt = triggeredAt; self.lastSeenAt = lastSeenAt
        self.acknowledgedAt = acknowledgedAt; self.acknowledgedBy = acknowledgedBy; self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy; self.escalationPolicyID = escalationPolicyID; self.escalationPolicy = escalationPolicy
        self.escalationStep = escalationStep; self.escalationGeneration = escalationGeneration
        self.stormSuppressed = stormSuppressed; self.createdAt = createdAt
    }
}

/// One entry of an alert's timeline.
public struct AlertEventRecord: Sendable, Equatable {
    public var id: Int64
    public var at: Date
    public var kind: String
    public var actor: String
    public var note: String?
    public var fromState: AlertState?
    public var toState: AlertState?
    public var detailsJSON: String

    public init(id: Int64 = 0, at: Date, kind: String, actor: String, note: String? = nil, fromState: AlertState? = nil,
                toState: AlertState? = nil, detailsJSON: String = "{}") {
        self.id = id; self.at = at; self.kind = kind; self.actor = actor; self.note = note
        self.fromState = fromState; self.toState = toState; self.detailsJSON = detailsJSON
    }
}

/// One row of the notification ledger.
public struct NotificationRecord: Sendable, Equatable {
    public enum Status: String, Sendable, Codable { case sent, failed, suppressed, skipped }
    public var id: Int64
    public var alertID: UUID?
    public var channelID: UUID?
    public var channelKind: String?
    public var event: String
    public var idempotencyKey: String
    public var attempt: Int
    public var status: Status
    public var statusCode: Int?
    public var error: String?
    public var durationMilliseconds: Double?
    public var payloadSHA256: String?
    public var createdAt: Date

    public init(id: Int64 = 0, alertID: UUID?, channelID: UUID?, channelKind: String?, event: String, idempotencyKey: String,
                attempt: Int, status: Status, statusCode: Int? = nil, error: String? = nil, durationMilliseconds: Double? = nil,
                payloadSHA256: String? = nil, createdAt: Date = Date()) {
        self.id = id; self.alertID = alertID; self.channelID = channelID; self.channelKind = channelKind; self.event = event
        self.idempotencyKey = idempotencyKey; self.attempt = attempt; self.status = status; self.statusCode = statusCode
        self.error = error; self.durationMilliseconds = durationMilliseconds; self.payloadSHA256 = payloadSHA256
        self.createdAt = createdAt
    }
}

/// Filters for listing alerts (nil: any).
public struct AlertFilter: Sendable, Equatable {
    public var state: AlertState?
    public var severity: AlertSeverity?
    public var source: String?
    /// label key → value, all must match exactly.
    public var labels: [String: String]

    public init(state: AlertState? = nil, severity: AlertSeverity? = nil, source: String? = nil, labels: [String: String] = [:]) {
        self.state = state; self.severity = severity; self.source = source; self.labels = labels
    }
}
