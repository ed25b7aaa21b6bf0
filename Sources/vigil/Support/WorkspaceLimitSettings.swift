import Configuration
import VigilCore

/// The per-workspace limits from `VIGIL_LIMIT_*` (README, configuration table). Every API
/// process must run with the same values: the counts live in PostgreSQL, the caps here.
enum WorkspaceLimitSettings {
    static func read(_ config: ConfigReader) throws -> WorkspaceLimits {
        var limits = WorkspaceLimits(
            maxActiveSeries: try config.strictInt(forKey: "vigil.limit.series", default: WorkspaceLimits.defaultMaxActiveSeries),
            maxConfigObjectsPerKind: try config.strictInt(forKey: "vigil.limit.config.objects", default: WorkspaceLimits.defaultMaxConfigObjectsPerKind),
            maxConcurrentReports: try config.strictInt(forKey: "vigil.limit.concurrent.reports", default: WorkspaceLimits.defaultMaxConcurrentReports),
            maxQueryCost: try config.strictInt(forKey: "vigil.limit.query.cost", default: WorkspaceLimits.defaultMaxQueryCost),
            kpiEventsPerMinute: try config.strictInt(forKey: "vigil.limit.kpi.events.per.minute", default: WorkspaceLimits.defaultKPIEventsPerMinute),
            maxRetentionDays: try config.strictInt(forKey: "vigil.limit.retention.days", default: WorkspaceLimits.defaultMaxRetentionDays))
        // One rate for every key class, then a class's own setting when given.
        let requests = try config.strictInt(forKey: "vigil.limit.requests.per.minute", default: WorkspaceLimits.defaultRequestsPerMinute)
        for role in ApiKeyRole.allCases {
            let value = try config.strictInt(forKey: ConfigKey(stringLiteral: "vigil.limit.requests.per.minute.\(role.rawValue)"), default: requests)
            guard WorkspaceLimitName.requestsPerMinuteAdmin.allowed.contains(value) else {
                throw SettingsError("VIGIL_LIMIT_REQUESTS_PER_MINUTE(_\(role.rawValue.uppercased())) must be 1-10000000")
            }
            limits.requestsPerMinute[role] = value
        }
        guard WorkspaceLimitName.kpiEventsPerMinute.allowed.contains(limits.kpiEventsPerMinute) else {
            throw SettingsError("VIGIL_LIMIT_KPI_EVENTS_PER_MINUTE must be 1-100000000")
        }
        guard WorkspaceLimitName.retentionDays.allowed.contains(limits.maxRetentionDays) else {
            throw SettingsError("VIGIL_LIMIT_RETENTION_DAYS must be 1-3650")
        }
        guard limits.maxActiveSeries >= 1 else { throw SettingsError("VIGIL_LIMIT_SERIES must be positive") }
        guard limits.maxConfigObjectsPerKind >= 1 else { throw SettingsError("VIGIL_LIMIT_CONFIG_OBJECTS must be positive") }
        guard limits.maxConcurrentReports >= 1 else { throw SettingsError("VIGIL_LIMIT_CONCURRENT_REPORTS must be positive") }
        guard limits.maxQueryCost >= 1_440 else { throw SettingsError("VIGIL_LIMIT_QUERY_COST must be at least 1440") }
        return limits
    }
}
