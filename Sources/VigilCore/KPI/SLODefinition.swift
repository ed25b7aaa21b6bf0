import Foundation

/// A service level objective (`POST …/slos`).
///
/// Stored as JSON with flat, snake_case fields: `kind` (`latency` | `availability`), then
/// `metric`, `percentile`, `threshold_ms` for latency; `good_metric` + `total_metric`, or
/// `metric` + `status_tag` + `good_values`, for availability; `tags`, `objective_percent`,
/// `window` for both.
public struct SLODefinition: Sendable, Equatable, Codable {
    public var name: String
    public var kind: SLOKind
    /// The target share of good events, in percent (99.9).
    public var objectivePercent: Double
    public var window: SLOWindow

    /// 100 % would leave no error budget (every burn rate infinite); below 50 % is not an SLO.
    public static let objectiveRange: ClosedRange<Double> = 50...99.999

    public init(name: String, kind: SLOKind, objectivePercent: Double, window: SLOWindow) {
        self.name = name
        self.kind = kind
        self.objectivePercent = objectivePercent
        self.window = window
    }

    /// A latency SLO whose objective defaults to its percentile ("p95 under 500 ms" = 95 %).
    public static func latency(name: String, metric: String, percentile: Double, thresholdMs: Double,
                               tags: [String: String] = [:], objectivePercent: Double? = nil,
                               window: SLOWindow = .rolling28) -> SLODefinition {
        SLODefinition(name: name,
                      kind: .latency(SLOLatencyIndicator(metric: metric, percentile: percentile, thresholdMs: thresholdMs, tags: tags)),
                      objectivePercent: objectivePercent ?? percentile, window: window)
    }

    /// The objective as a fraction (0.999).
    public var objective: Double { objectivePercent / 100 }

    /// The share of events allowed to be bad: 1 − objective.
    public var errorBudget: Double { SLOMath.errorBudget(objectivePercent: objectivePercent) }

    public func validate() -> ValidationFailure? {
        if let problem = DisplayName.problem(name) { return problem }
        if !objectivePercent.isFinite || !Self.objectiveRange.contains(objectivePercent) {
            return ValidationFailure(field: "objective_percent", message: "objective_percent must be between 50 and 99.999")
        }
        switch kind {
        case .latency(let latency): return latency.validate()
        case .availability(let availability): return availability.validate()
        }
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, metric, percentile, tags, window
        case thresholdMs = "threshold_ms"
        case goodMetric = "good_metric"
        case totalMetric = "total_metric"
        case statusTag = "status_tag"
        case goodValues = "good_values"
        case objectivePercent = "objective_percent"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        window = try c.decode(SLOWindow.self, forKey: .window)
        let tags = try c.decodeIfPresent([String: String].self, forKey: .tags) ?? [:]
        switch try c.decode(SLOKind.Name.self, forKey: .kind) {
        case .latency:
            let percentile = try c.decode(Double.self, forKey: .percentile)
            kind = .latency(SLOLatencyIndicator(metric: try c.decode(String.self, forKey: .metric), percentile: percentile,
                                                     thresholdMs: try c.decode(Double.self, forKey: .thresholdMs), tags: tags))
            objectivePercent = try c.decodeIfPresent(Double.self, forKey: .objectivePercent) ?? percentile
        case .availability:
            if let statusTag = try c.decodeIfPresent(String.self, forKey: .statusTag) {
                kind = .availability(.statusTag(metric: try c.decode(String.self, forKey: .metric), tagKey: statusTag,
                                                     goodValues: try c.decode([String].self, forKey: .goodValues), tags: tags))
            } else {
                kind = .availability(.counters(good: try c.decode(String.self, forKey: .goodMetric),
                                                    total: try c.decode(String.self, forKey: .totalMetric), tags: tags))
            }
            objectivePercent = try c.decode(Double.self, forKey: .objectivePercent)
        }
        try Self.refuseFieldsOutside(kind, in: c)
    }

    /// A field the chosen indicator does not read is refused rather than silently dropped: a
    /// `percentile` on an availability SLO is a mistake the caller should hear about.
    private static func refuseFieldsOutside(_ kind: SLOKind, in c: KeyedDecodingContainer<CodingKeys>) throws {
        let used: Set<CodingKeys>
        switch kind {
        case .latency: used = [.metric, .percentile, .thresholdMs]
        case .availability(.statusTag): used = [.metric, .statusTag, .goodValues]
        case .availability(.counters): used = [.goodMetric, .totalMetric]
        }
        let indicatorFields: [CodingKeys] = [.metric, .percentile, .thresholdMs, .goodMetric, .totalMetric, .statusTag, .goodValues]
        if let stray = indicatorFields.first(where: { !used.contains($0) && c.contains($0) }) {
            throw DecodingError.dataCorrupted(.init(codingPath: [stray],
                                                    debugDescription: "\(stray.stringValue) does not apply to this kind of SLO"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(kind.name, forKey: .kind)
        switch kind {
        case .latency(let latency):
            try c.encode(latency.metric, forKey: .metric)
            try c.encode(latency.percentile, forKey: .percentile)
            try c.encode(latency.thresholdMs, forKey: .thresholdMs)
            try c.encode(latency.tags, forKey: .tags)
        case .availability(.counters(let good, let total, let tags)):
            try c.encode(good, forKey: .goodMetric)
            try c.encode(total, forKey: .totalMetric)
            try c.encode(tags, forKey: .tags)
        case .availability(.statusTag(let metric, let tagKey, let goodValues, let tags)):
            try c.encode(metric, forKey: .metric)
            try c.encode(tagKey, forKey: .statusTag)
            try c.encode(goodValues, forKey: .goodValues)
            try c.encode(tags, forKey: .tags)
        }
        try c.encode(objectivePercent, forKey: .objectivePercent)
        try c.encode(window, forKey: .window)
    }
}
