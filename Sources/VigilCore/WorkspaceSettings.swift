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
        /// KPI events and rollups, SLO evaluations: 400 days, so a year-over-year comparison and
        /// the 12-month view still have last year's month.
        public var kpis: Int = 400

        public init() {}

        enum CodingKeys: String, CodingKey {
            case metrics, alerts, notifications, kpis
            case securityEvents = "security_events"
            case auditLog = "audit_log"
        }

        /// Missing classes take their defaults, so settings stored before a class existed decode.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let defaults = RetentionDays()
            metrics = try c.decodeIfPresent(Int.self, forKey: .metrics) ?? defaults.metrics
            alerts = try c.decodeIfPresent(Int.self, forKey: .alerts) ?? defaults.alerts
            securityEvents = try c.decodeIfPresent(Int.self, forKey: .securityEvents) ?? defaults.securityEvents
            notifications = try c.decodeIfPresent(Int.self, forKey: .notifications) ?? defaults.notifications
            auditLog = try c.decodeIfPresent(Int.self, forKey: .auditLog) ?? defaults.auditLog
            kpis = try c.decodeIfPresent(Int.self, forKey: .kpis) ?? defaults.kpis
        }

        /// The retention of a data class by its name (`metrics`, `alerts`, …); nil for an unknown class.
        public func days(for dataClass: String) -> Int? {
            all.first { $0.dataClass == dataClass }?.days
        }

        public var all: [(dataClass: String, days: Int)] {
            [("metrics", metrics), ("alerts", alerts), ("security_events", securityEvents),
             ("notifications", notifications), ("audit_log", auditLog), ("kpis", kpis)]
        }
    }

    public static let retentionRange = 1...3650

    public var retentionDays = RetentionDays()
    public var timeZone = "UTC"
    /// PII redaction of metric tags (on, masking, by default).
    public var redaction = RedactionPolicy.default
    /// Alert grouping, storm guard and dedup window.
    public var alerting = AlertingSettings()
    /// Latency baselines and regressions: threshold and group tag.
    public var performance = PerformanceSettings()
    /// Threat scoring and automatic blocking of source addresses.
    public var security = SecuritySettings()

    public static let maxAllowedTagKeys = 100

    public init() {}

    enum CodingKeys: String, CodingKey {
        case retentionDays = "retention_days"
        case timeZone = "time_zone"
        case redaction, alerting, performance, security
    }

    /// Missing fields take their defaults, so settings stored before a field existed decode.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        retentionDays = try container.decodeIfPresent(RetentionDays.self, forKey: .retentionDays) ?? RetentionDays()
        timeZone = try container.decodeIfPresent(String.self, forKey: .timeZone) ?? "UTC"
        redaction = try container.decodeIfPresent(RedactionPolicy.self, forKey: .redaction) ?? .default
        alerting = try container.decodeIfPresent(AlertingSettings.self, forKey: .alerting) ?? AlertingSettings()
        performance = try container.decodeIfPresent(PerformanceSettings.self, forKey: .performance) ?? PerformanceSettings()
        security = try container.decodeIfPresent(SecuritySettings.self, forKey: .security) ?? SecuritySettings()
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
        if let problem = alerting.validate() { return problem }
        if let problem = performance.validate() { return problem }
        if let problem = security.validate() { return problem }
        if redaction.allowedTagKeys.count > Self.maxAllowedTagKeys {
            return ValidationFailure(field: "settings.redaction.allowed_tag_keys",
                                     message: "at most \(Self.maxAllowedTagKeys) allow-listed tag keys")
        }
        if let bad = redaction.allowedTagKeys.sorted().first(where: { !MetricSelectorRules.isValidName($0, limits: .default) }) {
            return ValidationFailure(field: "settings.redaction.allowed_tag_keys",
                                     message: "'\(bad.prefix(64))' is not a tag name (1-200 characters of A-Z a-z 0-9 _ . : -)")
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
