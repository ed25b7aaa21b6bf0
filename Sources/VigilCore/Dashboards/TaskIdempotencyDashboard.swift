import Foundation

/// `GET …/dashboards/task-idempotency?window=24` (HOURS): the reference "Celery Idempotency
/// Monitoring" overview, breakdown and health views (monitoring-enhancements.md).
///
/// Clients send a `task.idempotency.check` counter (value 1) per task submission checked
/// against the idempotency key store, tagged `scope` (`global`, `user`, `device`, …), `task`
/// (task name) and `result` (`new` or `duplicate`); and a `task.idempotency.lock` counter
/// tagged `result` (`acquired` or `failed`) per lock attempt.
public enum TaskIdempotencyDashboard {
    public static let checkMetric = "task.idempotency.check"
    public static let lockMetric = "task.idempotency.lock"

    public static let checksByResult = DashboardQuery(id: "checks_by_result", metric: checkMetric, kind: .counter, groupBy: "result")
    public static let checksByScope = DashboardQuery(id: "checks_by_scope", metric: checkMetric, kind: .counter, groupBy: "scope")
    public static let duplicatesByScope = DashboardQuery(id: "duplicates_by_scope", metric: checkMetric, kind: .counter,
                                                         groupBy: "scope", tagFilters: ["result": "duplicate"])
    public static let checksByTask = DashboardQuery(id: "checks_by_task", metric: checkMetric, kind: .counter, groupBy: "task")
    public static let duplicatesByTask = DashboardQuery(id: "duplicates_by_task", metric: checkMetric, kind: .counter,
                                                        groupBy: "task", tagFilters: ["result": "duplicate"])
    public static let locksByResult = DashboardQuery(id: "locks_by_result", metric: lockMetric, kind: .counter, groupBy: "result")
    public static let queries = [checksByResult, checksByScope, duplicatesByScope, checksByTask, duplicatesByTask, locksByResult]

    /// Totals for one scope or one task.
    public struct Breakdown: Codable, Sendable, Equatable {
        /// The scope or task name (the key is `scope` or `task`).
        public var name: String
        public var totalRequests: Int
        public var duplicateHits: Int
        /// Percent; null when the group had no requests.
        @ExplicitNull public var duplicateRate: Double?
        var nameKey: String

        enum CodingKeys: String, CodingKey { case totalRequests = "total_requests", duplicateHits = "duplicate_hits", duplicateRate = "duplicate_rate" }
        struct NameKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        /// `nameKey` is the JSON key that carries `name`: `scope` or `task`.
        public init(name: String, totalRequests: Int, duplicateHits: Int, duplicateRate: Double?, nameKey: String) {
            self.name = name
            self.totalRequests = totalRequests
            self.duplicateHits = duplicateHits
            self.duplicateRate = duplicateRate
            self.nameKey = nameKey
        }

        public init(from decoder: any Decoder) throws {
            let names = try decoder.container(keyedBy: NameKey.self)
            nameKey = names.allKeys.first { $0.stringValue == "scope" || $0.stringValue == "task" }?.stringValue ?? "scope"
            name = try names.decode(String.self, forKey: NameKey(stringValue: nameKey))
            let values = try decoder.container(keyedBy: CodingKeys.self)
            totalRequests = try values.decode(Int.self, forKey: .totalRequests)
            duplicateHits = try values.decode(Int.self, forKey: .duplicateHits)
            _duplicateRate = try values.decode(ExplicitNull<Double>.self, forKey: .duplicateRate)
        }

        public func encode(to encoder: any Encoder) throws {
            var names = encoder.container(keyedBy: NameKey.self)
            try names.encode(name, forKey: NameKey(stringValue: nameKey))
            var values = encoder.container(keyedBy: CodingKeys.self)
            try values.encode(totalRequests, forKey: .totalRequests)
            try values.encode(duplicateHits, forKey: .duplicateHits)
            try values.encode(_duplicateRate, forKey: .duplicateRate)
        }
    }

    /// The reference's `redis_metrics`, named for what they are rather than the store.
    public struct LockMetrics: Codable, Sendable, Equatable {
        public var duplicateDetected: Int
        public var lockAcquired: Int
        public var lockFailed: Int

        public init(duplicateDetected: Int, lockAcquired: Int, lockFailed: Int) {
            self.duplicateDetected = duplicateDetected
            self.lockAcquired = lockAcquired
            self.lockFailed = lockFailed
        }

        enum CodingKeys: String, CodingKey { case duplicateDetected = "duplicate_detected", lockAcquired = "lock_acquired", lockFailed = "lock_failed" }
    }

    public struct Statistics: Codable, Sendable, Equatable {
        public var totalRequests: Int
        public var duplicateHits: Int
        /// Percent (0–100) as in the reference; null when there were no requests.
        @ExplicitNull public var duplicateRate: Double?
        public var healthStatus: DashboardHealthStatus
        /// Scopes, most duplicates first.
        public var scopeBreakdown: [Breakdown]
        /// Tasks, most duplicates first (the reference's `top_endpoints`).
        public var taskBreakdown: [Breakdown]
        public var lockMetrics: LockMetrics

        enum CodingKeys: String, CodingKey {
            case totalRequests = "total_requests", duplicateHits = "duplicate_hits", duplicateRate = "duplicate_rate"
            case healthStatus = "health_status", scopeBreakdown = "scope_breakdown", taskBreakdown = "task_breakdown"
            case lockMetrics = "lock_metrics"
        }
    }

    public struct Result: DashboardResult, Codable, Equatable {
        public var dashboard = DashboardID.taskIdempotency
        public var timestamp: String
        public var windowHours: Int
        public var statistics: Statistics
        public var slo: [SLOCheck]
        @ExplicitNull public var sloCompliant: Bool?
        public var recommendations: [Recommendation]

        enum CodingKeys: String, CodingKey {
            case dashboard, timestamp, windowHours = "window_hours", statistics, slo
            case sloCompliant = "slo_compliant", recommendations
        }
    }

    public static func compute(_ inputs: DashboardInputs) -> Result {
        let results = inputs[checksByResult]
        let total = events(results.overall)
        let duplicates = Swift.min(results.groups["duplicate"].map(events) ?? 0, total)
        let rate = DashboardMath.percent(Double(duplicates), of: Double(total))
        let locks = inputs[locksByResult].groups
        let statistics = Statistics(
            totalRequests: total, duplicateHits: duplicates, duplicateRate: DashboardMath.rounded(rate, places: 2),
            healthStatus: TaskIdempotencyHealth.status(duplicateRatePercent: rate),
            scopeBreakdown: breakdown(inputs[checksByScope], inputs[duplicatesByScope], nameKey: "scope"),
            taskBreakdown: breakdown(inputs[checksByTask], inputs[duplicatesByTask], nameKey: "task"),
            lockMetrics: LockMetrics(duplicateDetected: duplicates, lockAcquired: locks["acquired"].map(events) ?? 0,
                                     lockFailed: locks["failed"].map(events) ?? 0))
        let slo = [SLOCheck(name: "duplicate_rate_percent", comparison: .lessThan,
                            target: TaskIdempotencyHealth.healthyBelowPercent, actual: rate)]
        return Result(timestamp: DashboardMath.timestamp(inputs.generatedAt), windowHours: inputs.window.minutes / 60,
                      statistics: statistics, slo: slo, sloCompliant: SLOCheck.overall(slo),
                      recommendations: TaskIdempotencyHealth.recommendations(statistics, exactRatePercent: rate,
                                                                             windowHours: inputs.window.minutes / 60))
    }

    static func events(_ stats: MetricStats) -> Int { DashboardMath.count(DashboardMath.events(in: stats, kind: .counter)) }

    static func breakdown(_ all: DashboardQueryStats, _ duplicates: DashboardQueryStats, nameKey: String) -> [Breakdown] {
        let rows: [Breakdown] = all.namedGroups.map { name, stats in
            let total = events(stats)
            let dup = Swift.min(duplicates.groups[name].map(events) ?? 0, total)
            let rate = DashboardMath.percent(Double(dup), of: Double(total))
            return Breakdown(name: name, totalRequests: total, duplicateHits: dup,
                             duplicateRate: DashboardMath.rounded(rate, places: 2), nameKey: nameKey)
        }
        return rows.sorted(by: mostDuplicatesFirst)
    }

    /// Most duplicate hits first, then most requests, then by name.
    static func mostDuplicatesFirst(_ a: Breakdown, _ b: Breakdown) -> Bool {
        if a.duplicateHits != b.duplicateHits { return a.duplicateHits > b.duplicateHits }
        if a.totalRequests != b.totalRequests { return a.totalRequests > b.totalRequests }
        return a.name < b.name
    }
}
