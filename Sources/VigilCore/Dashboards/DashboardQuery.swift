import Foundation

/// The dashboards Vigil computes from conventionally named metrics. The raw value is the path
/// segment: `GET /v1/workspaces/{workspace}/dashboards/{id}`.
public enum DashboardID: String, CaseIterable, Codable, Sendable {
    case graphqlMutations = "graphql-mutations"
    case graphqlValidation = "graphql-validation"
    case websocket = "websocket"
    case taskIdempotency = "task-idempotency"

    /// The unit of the `window` query parameter: hours for task-idempotency (as in the
    /// reference Celery dashboard, `?window=24`), minutes for the others.
    public var windowUnit: DashboardWindow.Unit { self == .taskIdempotency ? .hours : .minutes }

    /// The window used when the request names none (reference: monitoring-enhancements.md,
    /// "Common Parameters": 60 for mutations, 24 (hours) for idempotency).
    public var defaultWindowValue: Int { self == .taskIdempotency ? 24 : 60 }

    /// The metrics this dashboard needs; fetch each and pass the answers to `compute`.
    public var queries: [DashboardQuery] {
        switch self {
        case .graphqlMutations: GraphQLMutationsDashboard.queries
        case .graphqlValidation: GraphQLValidationDashboard.queries
        case .websocket: WebSocketDashboard.queries
        case .taskIdempotency: TaskIdempotencyDashboard.queries
        }
    }

    /// Computes this dashboard from fetched stats. The result is ready to JSON-encode with a
    /// plain `JSONEncoder` (keys are already snake_case; do not use `.convertToSnakeCase`,
    /// which would also rewrite tag values used as dictionary keys, such as mutation names).
    public func compute(_ inputs: DashboardInputs) -> any DashboardResult {
        switch self {
        case .graphqlMutations: GraphQLMutationsDashboard.compute(inputs)
        case .graphqlValidation: GraphQLValidationDashboard.compute(inputs)
        case .websocket: WebSocketDashboard.compute(inputs)
        case .taskIdempotency: TaskIdempotencyDashboard.compute(inputs)
        }
    }
}

/// One metric fetch a dashboard needs: the storage layer answers it with `MetricStats` for
/// the whole selection plus, when `groupBy` is set, one `MetricStats` per tag value.
public struct DashboardQuery: Sendable, Hashable {
    /// The metric kinds of the ingest API (the shared `MetricKind`).
    public typealias Kind = MetricKind

    /// Unique within one dashboard; the key of `DashboardInputs.stats`.
    public let id: String
    /// The conventional metric name clients send.
    public let metric: String
    public let kind: Kind
    /// The tag whose values become groups, or nil for the overall stats only.
    public let groupBy: String?
    /// Tag equality filters applied before grouping (like `tag.result=duplicate`).
    public let tagFilters: [String: String]
    /// A shorter look-back than the dashboard window (for gauges, whose recent readings are
    /// what matters), or nil for the dashboard window.
    public let lookbackMinutes: Int?

    public init(id: String, metric: String, kind: Kind, groupBy: String? = nil,
                tagFilters: [String: String] = [:], lookbackMinutes: Int? = nil) {
        self.id = id
        self.metric = metric
        self.kind = kind
        self.groupBy = groupBy
        self.tagFilters = tagFilters
        self.lookbackMinutes = lookbackMinutes
    }

    /// The window, in minutes, to fetch this query over.
    public func fetchWindowMinutes(for window: DashboardWindow) -> Int {
        guard let lookbackMinutes else { return window.minutes }
        return Swift.min(lookbackMinutes, window.minutes)
    }
}

/// What the storage layer answered for one `DashboardQuery`.
public struct DashboardQueryStats: Sendable, Equatable {
    public var overall: MetricStats
    /// Per tag value of the query's `groupBy`; empty when it has none.
    public var groups: [String: MetricStats]

    public init(overall: MetricStats = .empty, groups: [String: MetricStats] = [:]) {
        self.overall = overall
        self.groups = groups
    }

    public static let empty = DashboardQueryStats()

    /// Groups with an empty tag value (points without the tag, if storage reports them) are
    /// left out: they are not a mutation, a reason or a scope.
    public var namedGroups: [String: MetricStats] { groups.filter { !$0.key.isEmpty } }
}

/// Everything a dashboard's `compute` reads: the window, the time of computation, and the
/// answers to its queries keyed by `DashboardQuery.id`. A missing answer counts as no data.
public struct DashboardInputs: Sendable, Equatable {
    public var window: DashboardWindow
    public var generatedAt: Date
    public var stats: [String: DashboardQueryStats]

    public init(window: DashboardWindow, generatedAt: Date, stats: [String: DashboardQueryStats]) {
        self.window = window
        self.generatedAt = generatedAt
        self.stats = stats
    }

    public subscript(query: DashboardQuery) -> DashboardQueryStats { stats[query.id] ?? .empty }
}
