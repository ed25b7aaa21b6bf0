/// How a KPI turns its events into one value per period.
///
/// Every kind is computed from a `KPIPartial`, which is mergeable, so daily rollups combine
/// into weeks and months without rereading events.
public enum KPIAggregation: Sendable, Hashable {
    /// Sum of event values (revenue, items sold).
    case sum
    /// Number of events; values are ignored (registrations, logins).
    case count
    /// Mean of event values (order size): sum / count, nil without events.
    case avg
    /// The value of the latest event by timestamp (active users as reported nightly).
    case last
    /// Sum of the numerator stream's values over the sum of the denominator stream's
    /// (checkouts / visits = conversion). A fraction, nil when the denominator sums to 0.
    /// Events name their stream either by these names or by the fixed aliases
    /// `numerator` / `denominator`.
    case ratio(numerator: String, denominator: String)

    public static let numeratorAlias = "numerator"
    public static let denominatorAlias = "denominator"

    /// `.ratio` with the alias names, for KPIs whose events say `numerator` / `denominator`.
    public static let plainRatio = KPIAggregation.ratio(numerator: numeratorAlias, denominator: denominatorAlias)

    /// The aggregation without its stream names: what the API's `aggregation` field carries.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case sum, count, avg, last, ratio
    }

    public var kind: Kind {
        switch self {
        case .sum: .sum
        case .count: .count
        case .avg: .avg
        case .last: .last
        case .ratio: .ratio
        }
    }

    /// Builds an aggregation from the API's flat fields. Stream names only apply to `ratio`
    /// (missing ones default to the aliases); nil when they are given for another kind.
    public init?(kind: Kind, numerator: String? = nil, denominator: String? = nil) {
        if kind != .ratio {
            guard numerator == nil, denominator == nil else { return nil }
        }
        switch kind {
        case .sum: self = .sum
        case .count: self = .count
        case .avg: self = .avg
        case .last: self = .last
        case .ratio: self = .ratio(numerator: numerator ?? Self.numeratorAlias, denominator: denominator ?? Self.denominatorAlias)
        }
    }

    /// Which side of a ratio an event's stream feeds; nil for other kinds and unknown streams.
    public func role(ofStream stream: String?) -> KPIStreamRole? {
        guard case .ratio(let numerator, let denominator) = self, let stream else { return nil }
        if stream == numerator || stream == Self.numeratorAlias { return .numerator }
        if stream == denominator || stream == Self.denominatorAlias { return .denominator }
        return nil
    }

    /// Checks ratio stream names: valid keys, distinct, and not the other side's alias (so a
    /// stream can never feed both sides).
    func validate() -> ValidationFailure? {
        guard case .ratio(let numerator, let denominator) = self else { return nil }
        if let problem = KPIKey.validate(numerator, field: "numerator_stream") { return problem }
        if let problem = KPIKey.validate(denominator, field: "denominator_stream") { return problem }
        if numerator == denominator {
            return ValidationFailure(field: "denominator_stream", message: "the numerator and denominator streams must differ")
        }
        if numerator == Self.denominatorAlias || denominator == Self.numeratorAlias {
            return ValidationFailure(field: "numerator_stream",
                                     message: "'numerator' and 'denominator' are aliases of their own side and cannot name the other")
        }
        return nil
    }
}

/// The side of a ratio a stream feeds.
public enum KPIStreamRole: String, Sendable, Hashable, Codable {
    case numerator, denominator
}
