import Foundation
import Logging
import VigilCore
import VigilRepositories

/// A latency trend: the daily p95 of the last 7 days and its least-squares slope.
public struct PerformanceTrend: Sendable, Equatable {
    public var metric: String
    public var group: String
    public var dailyP95: [Double?]
    public var slopePerDay: Double?
    public var percentPerDay: Double?
}

public struct PerformanceInsights: Sendable {
    public var generatedAt: Date
    public var baselineComputedAt: Date?
    public var thresholdPercent: Double
    public var comparisons: [PerformanceComparison]
    public var trends: [PerformanceTrend]
    public var recommendations: [Recommendation]
}

/// Performance baselines and regressions for every timing metric of a workspace, by the tag its
/// settings name (`endpoint` by default; points without it form `(none)`): baselines (p50/p95/p99 of the previous 7 days) every 6 hours, the last 30
/// minutes compared with them every 30 minutes (20 % worse is a regression, raised as an alert
/// and resolved when it passes), and on demand the insights with trends and recommendations.
public struct PerformanceInsightService: Sendable {
    static let actor = "performance-analysis"
    /// Bounds per workspace: timing metrics analyzed, and groups per metric (the busiest).
    public static let maxMetrics = 20
    public static let maxGroups = 50

    let database: Database
    let clock: WallClock
    let alerts: AlertService
    let limits: WorkspaceLimitPolicy
    let reads = MetricReadRepository()
    let baselines = PerformanceBaselineRepository()

    public init(database: Database, clock: WallClock, alerts: AlertService, limits: WorkspaceLimitPolicy) {
        self.database = database
        self.clock = clock
        self.alerts = alerts
        self.limits = limits
    }

    /// The platform tick: one `performance.run` for `task` per workspace with timing metrics.
    @discardableResult
    public func dispatch(_ task: PerformanceJobs.Task) async throws -> Int {
        let args = PerformanceJobs.RunArgs(task: task)
        return try await WorkspaceFanOut(database: database).enqueue(args, uniqueKey: args.uniqueKey,
                                                                     inWorkspacesListedBy: baselines.workspacesWithTimings)
    }

    /// Recomputes the workspace's baselines from the hour rollups of the 7 days before the
    /// recent window. Returns how many groups have one.
    @discardableResult
    public func refreshBaselines(in workspace: Workspace) async throws -> Int {
        let now = clock.now()
        let end = RollupResolution.hour.bucketStart(now.addingTimeInterval(-Double(PerformanceAnalysis.recentMinutes * 60)))
        let start = end.addingTimeInterval(-Double(PerformanceAnalysis.baselineDays) * 86_400)
        var stored: [StoredBaseline] = []
        for metric in try await timingMetrics(in: workspace) {
            let groups = try await profiles(metric, from: start, to: end, in: workspace)
            stored += groups.map { StoredBaseline(metric: metric, group: $0.key, profile: LatencyProfile($0.value), computedAt: now) }
        }
        try await database.inWorkspace(workspace.id) { try await baselines.replace(stored, workspaceID: workspace.id, on: $0) }
        return stored.count
    }

    /// Compares the last 30 minutes with the baselines; raises an alert per regression and
    /// resolves the alerts of groups no longer regressed.
    @discardableResult
    /// `thresholdPercent` nil: the workspace's `settings.performance.regression_threshold_percent`.
    public func analyze(in workspace: Workspace, thresholdPercent requested: Double? = nil) async throws -> [PerformanceComparison] {
        let thresholdPercent = requested ?? workspace.settings.performance.regressionThresholdPercent
        let comparisons = try await compare(in: workspace, thresholdPercent: thresholdPercent)
        for c in comparisons {
            let dedupKey = Self.dedupKey(c)
            if c.verdict == .regression {
                _ = try await alerts.submit(AlertSubmission(
                    title: "Performance regression: \(c.metric) \(c.group)",
                    message: "p95 is \(DashboardMath.format(c.current.p95 ?? 0)) over the last \(PerformanceAnalysis.recentMinutes) minutes, "
                        + "\(Int((c.changePercent ?? 0).rounded()))% above the \(PerformanceAnalysis.baselineDays)-day baseline of \(DashboardMath.format(c.baseline.p95 ?? 0))",
                    severity: .medium, source: Self.actor,
                    labels: ["alertname": "PerformanceRegression", "metric": c.metric, "group": c.group,
                             "group_tag": workspace.settings.performance.groupTag],
                    dedupKey: dedupKey, origin: .internal), in: workspace, actor: Self.actor)
            } else if c.verdict != .insufficientData, let open = try await alerts.openAlert(dedupKey: dedupKey, source: Self.actor, in: workspace) {
                _ = try await alerts.apply(.resolve, to: open.id, in: workspace, actor: Self.actor, note: "p95 back within \(Int(thresholdPercent))% of its baseline")
            }
        }
        return comparisons
    }

    /// Regressions, improvements, trends and recommendations, computed now.
    public func insights(in workspace: Workspace, thresholdPercent requested: Double? = nil) async throws -> PerformanceInsights {
        let thresholdPercent = requested ?? workspace.settings.performance.regressionThresholdPercent
        let now = clock.now()
        let comparisons = try await compare(in: workspace, thresholdPercent: thresholdPercent)
        let stored = try await database.inWorkspace(workspace.id) { try await baselines.all(on: $0) }
        var trends: [PerformanceTrend] = []
        // One read of the 7 days per metric, split into days in memory: the whole span is
        // admitted against max_query_cost once, not a day at a time.
        let end = RollupResolution.hour.bucketStart(now)
        let start = end.addingTimeInterval(-Double(PerformanceAnalysis.baselineDays) * 86_400)
        for metric in Set(stored.map(\.metric)).sorted() {
            let days = try await sketches(metric, from: start, to: end, in: workspace) { Int($0.timeIntervalSince(start) / 86_400) }
            for group in stored.filter({ $0.metric == metric }).map(\.group).sorted() {
                let daily = (0..<PerformanceAnalysis.baselineDays).map { days[group]?[$0]?.quantile(0.95) }
                let trend = PerformanceAnalysis.trend(daily)
                trends.append(PerformanceTrend(metric: metric, group: group, dailyP95: daily, slopePerDay: trend.slopePerDay,
                                               percentPerDay: trend.percentPerDay))
            }
        }
        let rising = trends.compactMap { t in t.percentPerDay.map { (metric: t.metric, group: t.group, percentPerDay: $0) } }
        return PerformanceInsights(generatedAt: now, baselineComputedAt: stored.map(\.computedAt).max(), thresholdPercent: thresholdPercent,
                                   comparisons: comparisons, trends: trends,
                                   recommendations: PerformanceAnalysis.recommendations(comparisons, trends: rising, thresholdPercent: thresholdPercent))
    }

    /// Every stored baseline against the last 30 minutes.
    func compare(in workspace: Workspace, thresholdPercent: Double) async throws -> [PerformanceComparison] {
        let now = clock.now()
        let stored = try await database.inWorkspace(workspace.id) { try await baselines.all(on: $0) }
        var comparisons: [PerformanceComparison] = []
        for metric in Set(stored.map(\.metric)).sorted() {
            let recent = try await profiles(metric, from: now.addingTimeInterval(-Double(PerformanceAnalysis.recentMinutes * 60)), to: now, in: workspace,
                                            resolution: .minute)
            for baseline in stored where baseline.metric == metric {
                let current = recent[baseline.group].map(LatencyProfile.init) ?? LatencyProfile(samples: 0, p50: nil, p95: nil, p99: nil)
                comparisons.append(PerformanceAnalysis.compare(metric: metric, group: baseline.group, baseline: baseline.profile, current: current,
                                                               thresholdPercent: thresholdPercent))
            }
        }
        return comparisons
    }

    /// The workspace's timing metrics, at most `maxMetrics`, by name.
    private func timingMetrics(in workspace: Workspace) async throws -> [String] {
        let kinds = try await database.inWorkspace(workspace.id) { try await reads.allKinds(on: $0) }
        return Array(kinds.filter { $0.value == .timing }.keys.sorted().prefix(Self.maxMetrics))
    }

    /// Each endpoint's merged sketch of `metric` in [from, to), the busiest `maxGroups`; a metric
    /// whose read would pass `max_query_cost` answers nothing rather than hold the worker.
    private func profiles(_ metric: String, from: Date, to: Date, in workspace: Workspace,
                          resolution: RollupResolution = .hour) async throws -> [String: QuantileSketch] {
        try await sketches(metric, from: from, to: to, in: workspace, resolution: resolution) { _ in 0 }.compactMapValues { $0[0] }
    }

    /// Each group's sketches of `metric` in [from, to), per slot (`slot` maps a row's bucket to
    /// it), for the busiest `maxGroups` groups; a metric whose read would pass `max_query_cost`
    /// answers nothing rather than hold the worker or a request.
    private func sketches(_ metric: String, from: Date, to: Date, in workspace: Workspace, resolution: RollupResolution = .hour,
                          slot: (Date) -> Int) async throws -> [String: [Int: QuantileSketch]] {
        try await database.inWorkspace(workspace.id) { connection in
            let series = try await reads.series(named: metric, filters: [:], on: connection)
            let minutes = max(1, Int(to.timeIntervalSince(from) / 60))
            guard case .allowed = try await limits.limits(for: workspace.id, on: connection).admitsQuery(windowMinutes: minutes, groups: series.count) else {
                return [:]
            }
            let tag = workspace.settings.performance.groupTag
            let groupOf = Dictionary(series.map { ($0.id, $0.tags[tag] ?? MetricSelector.untaggedGroup) }, uniquingKeysWith: { a, _ in a })
            let plan = RollupPlan.covering(start: from, end: to, useHours: resolution == .hour)
            var groups: [String: [Int: QuantileSketch]] = [:]
            var samples: [String: Int] = [:]
            for row in try await reads.rollups(seriesIDs: series.map(\.id), plan: plan, on: connection) {
                guard let group = groupOf[row.seriesID] else { continue }
                groups[group, default: [:]][slot(row.bucket), default: QuantileSketch()].merge(row.sketch)
                samples[group, default: 0] += row.sketch.count
            }
            let busiest = Set(samples.sorted { $0.value > $1.value }.prefix(Self.maxGroups).map(\.key))
            return groups.filter { busiest.contains($0.key) }
        }
    }

    /// `vigil:perf:<metric>:<group hash>`: Vigil's namespace, stable per metric and group.
    static func dedupKey(_ c: PerformanceComparison) -> String {
        "vigil:perf:\(c.metric):\(SHA256Hex.hex(of: c.group).prefix(16))"
    }
}
