import Configuration
import VigilCore

/// The per-workspace limits from `VIGIL_LIMIT_*` (README, configuration table). Every API
/// process must run with the same values: the counts live in PostgreSQL, the caps here.
enum WorkspaceLimitSettings {
    static func read(_ config: ConfigReader) throws -> WorkspaceLimits {
        let limits = WorkspaceLimits(
            maxActiveSeries: config.int(forKey: "vigil.limit.series", default: WorkspaceLimits.defaultMaxActiveSeries),
            maxConfigObjectsPerKind: config.int(forKey: "vigil.limit.config.objects", default: WorkspaceLimits.defaultMaxConfigObjectsPerKind),
            maxConcurrentReports: config.int(forKey: "vigil.limit.concurrent.reports", default: WorkspaceLimits.defaultMaxConcurrentReports),
            maxQueryCost: config.int(forKey: "vigil.limit.query.cost", default: WorkspaceLimits.defaultMaxQueryCost))
        guard limits.maxActiveSeries >= 1 else { throw SettingsError("VIGIL_LIMIT_SERIES must be positive") }
        guard limits.maxConfigObjectsPerKind >= 1 else { throw SettingsError("VIGIL_LIMIT_CONFIG_OBJECTS must be positive") }
        guard limits.maxConcurrentReports >= 1 else { throw SettingsError("VIGIL_LIMIT_CONCURRENT_REPORTS must be positive") }
        guard limits.maxQueryCost >= 1_440 else { throw SettingsError("VIGIL_LIMIT_QUERY_COST must be at least 1440") }
        return limits
    }
}
