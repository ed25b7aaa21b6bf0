/// What an SLO measures (its indicator): which events are good, and how to count them from
/// metric points.
public enum SLOKind: Sendable, Equatable {
    case latency(SLOLatencyIndicator)
    case availability(SLOAvailabilityIndicator)

    /// The kind's name, as the `kind` JSON field carries it.
    public enum Name: String, Sendable, Hashable, Codable, CaseIterable {
        case latency, availability
    }

    public var name: Name {
        switch self {
        case .latency: .latency
        case .availability: .availability
        }
    }
}
