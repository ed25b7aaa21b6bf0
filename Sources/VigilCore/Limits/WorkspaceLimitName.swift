import Foundation

/// The limits an operator may override for one workspace, by the names the API and the CLI
/// use. Each has a range: an override can raise a limit for a big tenant or lower it for a
/// noisy one, but not to zero (use key revocation for that) or past what one process can bear.
public enum WorkspaceLimitName: String, Sendable, CaseIterable, Codable {
    case series
    case configObjects = "config_objects"
    case concurrentReports = "concurrent_reports"
    case queryCost = "query_cost"
    case ingestPointsPerMinute = "ingest_points_per_minute"
    case kpiEventsPerMinute = "kpi_events_per_minute"
    case requestsPerMinuteIngest = "requests_per_minute_ingest"
    case requestsPerMinuteViewer = "requests_per_minute_viewer"
    case requestsPerMinuteMember = "requests_per_minute_member"
    case requestsPerMinuteAdmin = "requests_per_minute_admin"
    case retentionDays = "retention_days"

    /// The values an override may take (also the spec's `minimum`/`maximum`).
    public var allowed: ClosedRange<Int> {
        switch self {
        case .series: return 1...10_000_000
        case .configObjects: return 1...100_000
        case .concurrentReports: return 1...100
        case .queryCost: return 1_440...1_000_000_000
        case .ingestPointsPerMinute: return 1...1_000_000_000
        case .kpiEventsPerMinute: return 1...100_000_000
        case .requestsPerMinuteIngest, .requestsPerMinuteViewer, .requestsPerMinuteMember, .requestsPerMinuteAdmin:
            return 1...10_000_000
        case .retentionDays: return WorkspaceSettings.retentionRange
        }
    }

    /// The key class whose request rate this name limits, if it is one.
    public var requestRole: ApiKeyRole? {
        switch self {
        case .requestsPerMinuteIngest: return .ingest
        case .requestsPerMinuteViewer: return .viewer
        case .requestsPerMinuteMember: return .member
        case .requestsPerMinuteAdmin: return .admin
        default: return nil
        }
    }
}

extension WorkspaceLimits {
    /// The limit by its public name.
    public subscript(name: WorkspaceLimitName) -> Int {
        get {
            switch name {
            case .series: return maxActiveSeries
            case .configObjects: return maxConfigObjectsPerKind
            case .concurrentReports: return maxConcurrentReports
            case .queryCost: return maxQueryCost
            case .ingestPointsPerMinute: return ingestPointsPerMinute
            case .kpiEventsPerMinute: return kpiEventsPerMinute
            case .retentionDays: return maxRetentionDays
            case .requestsPerMinuteIngest, .requestsPerMinuteViewer, .requestsPerMinuteMember, .requestsPerMinuteAdmin:
                return requestsPerMinute(for: name.requestRole!)
            }
        }
        set {
            switch name {
            case .series: maxActiveSeries = newValue
            case .configObjects: maxConfigObjectsPerKind = newValue
            case .concurrentReports: maxConcurrentReports = newValue
            case .queryCost: maxQueryCost = newValue
            case .ingestPointsPerMinute: ingestPointsPerMinute = newValue
            case .kpiEventsPerMinute: kpiEventsPerMinute = newValue
            case .retentionDays: maxRetentionDays = newValue
            case .requestsPerMinuteIngest, .requestsPerMinuteViewer, .requestsPerMinuteMember, .requestsPerMinuteAdmin:
                requestsPerMinute[name.requestRole!] = newValue
            }
        }
    }

    /// These defaults with one workspace's overrides applied.
    public func overridden(by overrides: WorkspaceLimitOverrides) -> WorkspaceLimits {
        var limits = self
        for (name, value) in overrides.values { limits[name] = value }
        return limits
    }
}

/// One workspace's operator overrides: only the names set differ from the defaults.
public struct WorkspaceLimitOverrides: Sendable, Equatable {
    public private(set) var values: [WorkspaceLimitName: Int]

    public init() { values = [:] }

    /// Validates overrides by name (from the API body, the CLI or the stored row): unknown
    /// names and values outside `allowed` are refused whole, naming the field.
    public init(validating raw: [String: Int]) throws(ValidationFailure) {
        var values: [WorkspaceLimitName: Int] = [:]
        for (key, value) in raw.sorted(by: { $0.key < $1.key }) {
            guard let name = WorkspaceLimitName(rawValue: key) else {
                throw ValidationFailure(field: key, message: "unknown limit; known: \(WorkspaceLimitName.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard name.allowed.contains(value) else {
                throw ValidationFailure(field: key, message: "must be between \(name.allowed.lowerBound) and \(name.allowed.upperBound)")
            }
            values[name] = value
        }
        self.values = values
    }

    /// By name, for storage and answers.
    public var byName: [String: Int] {
        Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) })
    }
}
