import Foundation

/// Per-workspace settings. Retention defaults match what teams run today
/// (METRICS_RETENTION_DAYS=90, ALERT_HISTORY_RETENTION_DAYS=30).
public struct WorkspaceSettings: Sendable, Equatable, Codable {
    public struct RetentionDays: Sendable, Equatable, Codable {
        public var metrics: Int = 90
        public var alerts: Int = 30
        public var securityEvents: Int = 90
        public var notifications: Int = 30
        public var auditLog: Int = 365

        public init() {}

        enum CodingKeys: String, CodingKey {
            case metrics, alerts, notifications
            case securityEvents = "security_events"
            case auditLog = "audit_log"
        }

        public var all: [(dataClass: String, days: Int)] {
            [("metrics", metrics), ("alerts", alerts), ("security_events", securityEvents),
             ("notifications", notifications), ("audit_log", auditLog)]
        }
    }

    public static let retentionRange = 1...3650

    public var retentionDays = RetentionDays()
    public var timeZone = "UTC"

    public init() {}

    enum CodingKeys: String, CodingKey {
        case retentionDays = "retention_days"
        case timeZone = "time_zone"
    }

    /// Checks values a schema cannot (a real IANA zone) and ranges; returns the first problem.
    public func validate() -> ValidationFailure? {
        for (dataClass, days) in retentionDays.all where !Self.retentionRange.contains(days) {
            return ValidationFailure(field: "settings.retention_days.\(dataClass)",
                                     message: "retention for \(dataClass) must be between 1 and 3650 days")
        }
        if TimeZone(identifier: timeZone) == nil {
            return ValidationFailure(field: "settings.time_zone", message: "'\(timeZone)' is not an IANA time zone")
        }
        return nil
    }
}

/// A rejected input value, with the field it came from.
public struct ValidationFailure: Error, Sendable, Equatable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}
