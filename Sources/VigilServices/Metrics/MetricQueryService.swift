import Foundation
import VigilCore
import VigilRepositories

/// Stats over a window: overall and per value of the group-by tag.
public struct MetricStatsResult: Sendable, Equatable {
    public var name: String
    public var kind: MetricKind
    public var windowMinutes: Int
    public var overall: MetricStats
    public var groups: [String: MetricStats]
}

/// One time bucket of a series query.
public struct MetricSeriesBucket: Sendable, Equatable {
    public var start: Date
    public var stats: MetricStats
}

public struct MetricSeriesResult: Sendable, Equatable {
    public var name: String
    public var kind: MetricKind
    public var windowMinutes: Int
    public var stepMinutes: Int
    public var buckets: [MetricSeriesBucket]
    public var groups: [String: [MetricSeriesBucket]]
}

/// What a metrics query selects: a name, tag equality filters and an optional group-by tag.
public struct MetricSelector: Sendable, Equatable {
    public var name: String
    public var filters: [String: String]
    public var groupBy: String?

    public init(name: String, filters: [String: String] = [:], groupBy: String? = nil) {
        self.name = name
        self.filters = filters
        self.groupBy = groupBy
    }

    /// The group of points without the group-by tag.
    public static let untaggedGroup = "(none)"
}

/// Metric reads: names, windowed stats and time series, all from rollups (never raw points),
/// merged through the quantile sketch.
public struct MetricQueryService: Sendable {
    let database: Database
    let clock: WallClock
    let reads = MetricReadRepository()
    /// Bounds window minutes × groups of one query (`WorkspaceLimits.maxQueryCost`).
    let limits: WorkspaceLimitPolicy

    public init(database: Database, clock: WallClock, limits: WorkspaceLimitPolicy) {
        self.database = database
        self.clock = clock
        self.limits = limits
    }

    /// Ordered by name.
    public func names(in workspaceID: UUID, limit: Int?, cursor: String?) async throws -> Page<StoredMetricName> {
        try await paged(limit: limit, cursor: cursor, position: { NameCursor(after: $0.name) }) { page in
            try await database.inWorkspace(workspaceID) { try await reads.names(after: page.cursor?.after, limit: page.limit, on: $0) }
        }
    }

    /// The workspace's metrics read version (what a cached stats or series answer is checked
    /// against): one statement, one round trip, on the server the request's reads use, which
    /// also re-checks the request's key on the primary.
    public func readVersion(in workspaceID: UUID) async throws -> Int64 {
        try await database.readInWorkspace(workspaceID, oneStatement: true) { try await reads.readVersion(on: $0) }
    }

    public func stats(in workspaceID: UUID, _ selector: MetricSelector, windowMinutes: Int?) async throws -> MetricStatsResult {
        let minutes = try Self.validated(windowMinutes, field: "window", default: 60)
        try Self.validate(selector)
        let window = MetricWindow(minutes: minutes, now: clock.now())
        let (kind, series, rows) = try await load(workspaceID, selector, windowMinutes: minutes,
                                                  plan: .covering(start: window.start, end: window.end))
        var overall = QuantileSketch()
        var groups: [String: QuantileSketch] = [:]
        let groupOf = Self.grouping(series, by: selector.groupBy)
        for row in rows {
            overall.merge(row.sketch)
            if let group = groupOf[row.seriesID] { groups[group, default: QuantileSketch()].merge(row.sketch) }
        }
        return MetricStatsResult(name: selector.name, kind: kind, windowMinutes: minutes, overall: overall.stats(),
                                 groups: groups.mapValues { $0.stats() })
    }

    public func series(in workspaceID: UUID, _ selector: MetricSelector, windowMinutes: Int?, stepMinutes: Int?) async throws -> MetricSeriesResult {
        let minutes = try Self.validated(windowMinutes, field: "window", default: 60)
        let step = try Self.validated(stepMinutes, field: "step", default: max(1, minutes / 60))
        guard minutes / step <= 1_440 else {
            throw ServiceError.invalid(field: "step", message: "window/step must be at most 1440 buckets; use a larger step")
        }
        try Self.validate(selector)
        let window = MetricWindow(minutes: minutes, now: clock.now())
        // Hour rows fit inside epoch-aligned buckets only when the step is whole hours.
        let plan = RollupPlan.covering(start: window.start, end: window.end, useHours: step % 60 == 0)
        let (kind, series, rows) = try await load(workspaceID, selector, windowMinutes: minutes, plan: plan)
        let stepSeconds = Double(step * 60)
        func bucketStart(_ date: Date) -> Date {
            max(window.start, Date(timeIntervalSince1970: (date.timeIntervalSince1970 / stepSeconds).rounded(.down) * stepSeconds))
        }
        var overall: [Date: QuantileSketch] = [:]
        var groups: [String: [Date: QuantileSketch]] = [:]
        let groupOf = Self.grouping(series, by: selector.groupBy)
        for row in rows {
            let start = bucketStart(row.bucket)
            overall[start, default: QuantileSketch()].merge(row.sketch)
            if let group = groupOf[row.seriesID] { groups[group, default: [:]][start, default: QuantileSketch()].merge(row.sketch) }
        }
        func buckets(_ sketches: [Date: QuantileSketch]) -> [MetricSeriesBucket] {
            sketches.sorted { $0.key < $1.key }.map { MetricSeriesBucket(start: $0.key, stats: $0.value.stats()) }
        }
        return MetricSeriesResult(name: selector.name, kind: kind, windowMinutes: minutes, stepMinutes: step,
                                  buckets: buckets(overall), groups: groups.mapValues(buckets))
    }

    private func load(_ workspaceID: UUID, _ selector: MetricSelector, windowMinutes: Int, plan: RollupPlan) async throws
        -> (MetricKind, [StoredSeries], [StoredRollup]) {
        let notFound = ServiceError.notFound(selector.name.count <= 200 ? "metric '\(selector.name)' was not found" : "metric was not found")
        // No filter and no grouping: the metric's total series answers alone, and its kind
        // comes in the same statement, so the whole read is one round trip.
        if selector.filters.isEmpty && selector.groupBy == nil {
            return try await database.readInWorkspace(workspaceID, oneStatement: true) { connection in
                guard let (kind, rows) = try await reads.kindAndRollups(of: selector.name, seriesID: SeriesKey.totalSeriesID(name: selector.name),
                                                                       plan: plan, on: connection) else { throw notFound }
                return (kind, [], rows)
            }
        }
        // A heavy read: on the read replica when one is configured and fresh enough.
        return try await database.readInWorkspace(workspaceID) { connection in
            guard let kind = try await reads.kind(of: selector.name, on: connection) else { throw notFound }
            let series = try await reads.series(named: selector.name, filters: selector.filters, on: connection)
            // Refused before any rollup is read: the groups are known from the series alone.
            try checkCost(windowMinutes: windowMinutes, series: series, groupBy: selector.groupBy,
                          limits: try await limits.limits(for: workspaceID, on: connection))
            let rows = try await reads.rollups(seriesIDs: series.map(\.id), plan: plan, on: connection)
            return (kind, series, rows)
        }
    }

    /// A grouped query over a long window reads and returns window × groups sketches; past
    /// `maxQueryCost` it is refused (422 `query_too_large`: the request is well formed, but too
    /// costly) so one request cannot hold a connection and build a response of unbounded size.
    func checkCost(windowMinutes: Int, series: [StoredSeries], groupBy tag: String?, limits: WorkspaceLimits) throws {
        guard let tag else { return }
        let groups = Set(series.map { $0.tags[tag] ?? MetricSelector.untaggedGroup }).count
        if case .refused(let message) = limits.admitsQuery(windowMinutes: windowMinutes, groups: groups) {
            throw ServiceError.queryTooLarge("\(message) (this query: \(windowMinutes) minutes × \(groups) groups)")
        }
    }

    /// Series id → its group (the group-by tag's value); empty when there is no group-by.
    static func grouping(_ series: [StoredSeries], by tag: String?) -> [Int64: String] {
        guard let tag else { return [:] }
        return Dictionary(series.map { ($0.id, $0.tags[tag] ?? MetricSelector.untaggedGroup) }, uniquingKeysWith: { a, _ in a })
    }

    static func validated(_ value: Int?, field: String, default fallback: Int) throws -> Int {
        do {
            return try MetricWindow.validate(minutes: value, field: field, default: fallback)
        } catch {
            throw ServiceError(error)
        }
    }

    static func validate(_ selector: MetricSelector) throws {
        if let failure = MetricSelectorRules.validate(name: selector.name, filters: selector.filters, groupBy: selector.groupBy) {
            throw ServiceError(failure)
        }
    }
}
