import Foundation

/// How much one workspace may hold or ask for at once. Without caps, one tenant (or one leaked
/// key) could fill the shared database with series or configuration rows, tie up the worker
/// with report generations or flood the API, and every other tenant would pay. The operator
/// sets the defaults with the `VIGIL_LIMIT_*` environment variables (README) and may override
/// any of them for one workspace (`PUT /v1/workspaces/{w}/limits`, `WorkspaceLimitName`).
/// Every API process must be given the same defaults: the counts are taken in PostgreSQL, not
/// in memory, so they hold across processes.
public struct WorkspaceLimits: Sendable, Equatable {
    /// Distinct metric series (name + tag set) a workspace may have stored.
    public var maxActiveSeries: Int
    /// Stored objects of each configuration kind (see `ConfigObjectKind`), counted per kind.
    public var maxConfigObjectsPerKind: Int
    /// Compliance reports queued or running at once.
    public var maxConcurrentReports: Int
    /// Seconds a client is told to wait when the report limit refuses it (`Retry-After`).
    public var reportRetryAfterSeconds: Int
    /// Cost of one stats/series query: window minutes × the number of groups it may return.
    public var maxQueryCost: Int
    /// Metric points a workspace may ingest per UTC minute, across all API processes.
    public var ingestPointsPerMinute: Int
    /// KPI events a workspace may record per UTC minute.
    public var kpiEventsPerMinute: Int
    /// Authenticated requests per UTC minute, per key class (the key's role): a leaked ingest
    /// key flooding the API does not use up what the dashboards' viewer keys need.
    public var requestsPerMinute: [ApiKeyRole: Int]
    /// The longest retention, in days, a workspace may set for any data class. Daily partitions
    /// are dropped only once every workspace is done with a day, so one tenant keeping ten
    /// years would keep every tenant's partitions: above this, the operator decides.
    public var maxRetentionDays: Int

    public static let defaultMaxActiveSeries = 100_000
    public static let defaultMaxConfigObjectsPerKind = 1_000
    public static let defaultMaxConcurrentReports = 2
    public static let defaultReportRetryAfterSeconds = 30
    /// 31 days of minutes × 100 groups: the widest window the stats endpoint allows with a
    /// generous group count, but not both at their extremes.
    public static let defaultMaxQueryCost = 31 * 1_440 * 100
    public static let defaultIngestPointsPerMinute = 12_000_000
    public static let defaultKPIEventsPerMinute = 60_000
    /// 1,000 requests a second per class: far above what a team's clients and dashboards send,
    /// low enough that one workspace cannot take a whole API process for itself.
    public static let defaultRequestsPerMinute = 60_000
    /// The longest default retention (KPIs, 400 days): defaults never need an override.
    public static let defaultMaxRetentionDays = 400

    public init(maxActiveSeries: Int = defaultMaxActiveSeries, maxConfigObjectsPerKind: Int = defaultMaxConfigObjectsPerKind,
                maxConcurrentReports: Int = defaultMaxConcurrentReports, reportRetryAfterSeconds: Int = defaultReportRetryAfterSeconds,
                maxQueryCost: Int = defaultMaxQueryCost, ingestPointsPerMinute: Int = defaultIngestPointsPerMinute,
                kpiEventsPerMinute: Int = defaultKPIEventsPerMinute,
                requestsPerMinute: [ApiKeyRole: Int] = Dictionary(uniqueKeysWithValues: ApiKeyRole.allCases.map { ($0, defaultRequestsPerMinute) }),
                maxRetentionDays: Int = defaultMaxRetentionDays) {
        self.maxActiveSeries = maxActiveSeries
        self.maxConfigObjectsPerKind = maxConfigObjectsPerKind
        self.maxConcurrentReports = maxConcurrentReports
        self.reportRetryAfterSeconds = reportRetryAfterSeconds
        self.maxQueryCost = maxQueryCost
        self.ingestPointsPerMinute = ingestPointsPerMinute
        self.kpiEventsPerMinute = kpiEventsPerMinute
        self.requestsPerMinute = requestsPerMinute
        self.maxRetentionDays = maxRetentionDays
    }

    /// Requests per minute allowed to keys of `role` (the default when unset).
    public func requestsPerMinute(for role: ApiKeyRole) -> Int {
        requestsPerMinute[role] ?? Self.defaultRequestsPerMinute
    }
}

/// The configuration objects whose number per workspace is capped.
public enum ConfigObjectKind: String, Sendable, CaseIterable {
    case silence, route, channel, escalationPolicy = "escalation_policy", inhibitRule = "inhibit_rule", slo, kpi
    case alertRule = "alert_rule"
    case anomalyDetector = "anomaly_detector"

    /// How the refusal names the kind.
    public var label: String {
        switch self {
        case .silence: return "silences"
        case .route: return "notification routes"
        case .channel: return "notification channels"
        case .escalationPolicy: return "escalation policies"
        case .inhibitRule: return "inhibit rules"
        case .slo: return "SLOs"
        case .kpi: return "KPI definitions"
        case .alertRule: return "alert rules"
        case .anomalyDetector: return "anomaly detectors"
        }
    }
}

/// A limit's answer: go ahead, or refuse with a sentence naming the limit.
public enum LimitDecision: Sendable, Equatable {
    case allowed
    case refused(String)
}

extension WorkspaceLimits {
    /// One more object of `kind` when `existing` are stored. A stock limit: waiting does not
    /// help, so the API answers 409 `conflict` (delete some first).
    public func admitsConfigObject(_ kind: ConfigObjectKind, existing: Int) -> LimitDecision {
        existing < maxConfigObjectsPerKind ? .allowed
            : .refused("workspace limit reached: at most \(maxConfigObjectsPerKind) \(kind.label) (delete some first)")
    }

    /// A metric batch that would add `new` series to the `existing` ones. Also a stock limit
    /// (409): the whole batch is refused, so a client never has half of it stored.
    public func admitsNewSeries(existing: Int, new: Int) -> LimitDecision {
        new <= 0 || existing + new <= maxActiveSeries ? .allowed
            : .refused("workspace limit reached: at most \(maxActiveSeries) metric series (\(existing) stored, this batch adds \(new))")
    }

    /// One more report when `inFlight` are queued or running. This one frees up as reports
    /// finish, so it is a rate limit: 429 with `Retry-After`.
    public func admitsReport(inFlight: Int) -> LimitDecision {
        inFlight < maxConcurrentReports ? .allowed
            : .refused("workspace limit reached: at most \(maxConcurrentReports) reports queued or running at once")
    }

    /// A stats/series query over `windowMinutes` that may return `groups` groups (1 when not
    /// grouped). Refused (422 `query_too_large`) when the product exceeds `maxQueryCost`.
    public func admitsQuery(windowMinutes: Int, groups: Int) -> LimitDecision {
        let (cost, overflow) = max(windowMinutes, 1).multipliedReportingOverflow(by: max(groups, 1))
        return !overflow && cost <= maxQueryCost ? .allowed
            : .refused("query too large: window minutes × groups may be at most \(maxQueryCost); narrow the window or the grouping")
    }
}

extension WorkspaceLimits {
    /// A change of retention settings from `current` to `proposed`: refused when it raises a
    /// class above `maxRetentionDays` (naming the first such class in the settings' order). A
    /// class already above the maximum (set before it, or under an override since lowered) may
    /// stay or come down, so an unrelated change never fails on it.
    public func admitsRetention(_ proposed: WorkspaceSettings.RetentionDays,
                                replacing current: WorkspaceSettings.RetentionDays) -> ValidationFailure? {
        let before = Dictionary(current.all.map { ($0.dataClass, $0.days) }, uniquingKeysWith: { first, _ in first })
        for (dataClass, days) in proposed.all where days > maxRetentionDays && days > (before[dataClass] ?? 0) {
            return ValidationFailure(field: "settings.retention_days.\(dataClass)",
                                     message: "at most \(maxRetentionDays) days on this deployment; a longer retention needs an operator "
                                         + "override of the workspace's retention_days limit")
        }
        return nil
    }
}
