import Foundation

/// Filters for listing the audit log.
public struct AuditLogFilter: Sendable, Equatable {
    public var action: String?
    public var actorID: String?
    public var resourceType: String?
    public var since: Date?
    public var until: Date?

    public init(action: String? = nil, actorID: String? = nil, resourceType: String? = nil, since: Date? = nil, until: Date? = nil) {
        self.action = action
        self.actorID = actorID
        self.resourceType = resourceType
        self.since = since
        self.until = until
    }
}
