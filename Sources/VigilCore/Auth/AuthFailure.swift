import Foundation

/// What an aggregated `auth_failures` row counts.
public enum AuthFailureKind: String, Sendable, CaseIterable, Codable {
    /// A missing, malformed, unknown, expired or revoked key (or admin token).
    case authFailed = "auth_failed"
    /// A valid key used on another workspace's path; recorded in the key's own workspace.
    case crossWorkspaceProbe = "cross_workspace_probe"
}

/// One aggregated row: every failure of one kind from one source address in one workspace and
/// one UTC minute, with the last attempt's reason, key and correlation id as a sample.
public struct AuthFailureRecord: Sendable, Equatable {
    public var id: UUID
    public var workspaceID: UUID
    public var minute: Date
    public var kind: AuthFailureKind
    /// Empty when the address is unknown.
    public var sourceIP: String
    public var count: Int64
    public var firstSeen: Date
    public var lastSeen: Date
    public var lastReason: String
    public var lastKeyID: UUID?
    public var lastCorrelationID: String?

    public init(id: UUID, workspaceID: UUID, minute: Date, kind: AuthFailureKind, sourceIP: String, count: Int64,
                firstSeen: Date, lastSeen: Date, lastReason: String, lastKeyID: UUID?, lastCorrelationID: String?) {
        self.id = id
        self.workspaceID = workspaceID
        self.minute = minute
        self.kind = kind
        self.sourceIP = sourceIP
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.lastReason = lastReason
        self.lastKeyID = lastKeyID
        self.lastCorrelationID = lastCorrelationID
    }

    /// The start of the UTC minute holding `date`: the aggregation grain.
    public static func minute(of date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60)
    }
}
