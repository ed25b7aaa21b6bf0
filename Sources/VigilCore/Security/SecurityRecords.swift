import Foundation

/// A stored security event, as the redaction policy let it be stored.
public struct StoredSecurityEvent: Sendable, Equatable {
    public var id: UUID
    public var event: SecurityEvent
    public var receivedAt: Date

    public init(id: UUID, event: SecurityEvent, receivedAt: Date) {
        self.id = id
        self.event = event
        self.receivedAt = receivedAt
    }
}

/// What is known about one address or network in a workspace: its score, its block, and the
/// manual exemption an unblock may leave (no automatic block until it ends).
public struct SecurityIPState: Sendable, Equatable {
    public var network: String
    public var sourceKey: String
    public var score: ThreatScore
    public var events: Int
    public var lastEventAt: Date?
    public var block: BlockState?
    public var blockedAt: Date?
    public var exemptUntil: Date?
    public var updatedAt: Date

    public init(network: String, sourceKey: String, score: ThreatScore, events: Int, lastEventAt: Date?, block: BlockState?,
                blockedAt: Date?, exemptUntil: Date?, updatedAt: Date) {
        self.network = network; self.sourceKey = sourceKey; self.score = score; self.events = events
        self.lastEventAt = lastEventAt; self.block = block; self.blockedAt = blockedAt
        self.exemptUntil = exemptUntil; self.updatedAt = updatedAt
    }
}

/// One block or unblock, automatic or by whom.
public struct SecurityBlockLogEntry: Sendable, Equatable {
    public enum Action: String, Sendable, Codable { case block, unblock }

    public var id: UUID
    public var network: String
    public var action: Action
    public var source: BlockState.Source
    public var reason: String
    public var until: Date?
    public var actor: String
    public var at: Date

    public init(id: UUID, network: String, action: Action, source: BlockState.Source, reason: String, until: Date?, actor: String, at: Date) {
        self.id = id; self.network = network; self.action = action; self.source = source
        self.reason = reason; self.until = until; self.actor = actor; self.at = at
    }
}

/// A stored attack finding.
public struct SecurityDetectionRecord: Sendable, Equatable {
    public var id: UUID
    public var finding: AttackFinding
    public var windowStart: Date
    public var detectedAt: Date
    public var alertID: UUID?

    public init(id: UUID, finding: AttackFinding, windowStart: Date, detectedAt: Date, alertID: UUID?) {
        self.id = id; self.finding = finding; self.windowStart = windowStart; self.detectedAt = detectedAt; self.alertID = alertID
    }
}

/// One entry of the blocklist an edge enforces.
public struct BlocklistEntry: Sendable, Equatable {
    public var network: String
    public var until: Date
    public var source: BlockState.Source
    public var reason: String

    public init(network: String, until: Date, source: BlockState.Source, reason: String) {
        self.network = network; self.until = until; self.source = source; self.reason = reason
    }
}

/// An address ranked by activity in a window.
public struct SecuritySourceActivity: Sendable, Equatable {
    public var source: String
    public var events: Int
    public var kinds: [SecurityEventKind: Int]

    public init(source: String, events: Int, kinds: [SecurityEventKind: Int]) {
        self.source = source; self.events = events; self.kinds = kinds
    }
}

/// The filters of `GET …/security/events`.
public struct SecurityEventFilter: Sendable, Equatable {
    public var kind: SecurityEventKind?
    public var subKind: String?
    public var sourceIP: String?
    public var since: Date?
    public var until: Date?

    public init(kind: SecurityEventKind? = nil, subKind: String? = nil, sourceIP: String? = nil, since: Date? = nil, until: Date? = nil) {
        self.kind = kind; self.subKind = subKind; self.sourceIP = sourceIP; self.since = since; self.until = until
    }
}
