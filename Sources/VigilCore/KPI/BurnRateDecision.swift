/// What a burn-rate evaluation asks for, ordered `none < ticket < page`.
public enum BurnRateDecision: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case none, ticket, page

    private var rank: Int {
        switch self {
        case .none: 0
        case .ticket: 1
        case .page: 2
        }
    }

    public static func < (a: BurnRateDecision, b: BurnRateDecision) -> Bool { a.rank < b.rank }

    /// The alert severity: page → critical (routes to paging channels), ticket → medium.
    public var severity: AlertSeverity? {
        switch self {
        case .none: nil
        case .ticket: .medium
        case .page: .critical
        }
    }
}
