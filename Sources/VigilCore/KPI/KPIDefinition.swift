import Foundation

/// A business KPI as defined with `PUT /v1/workspaces/{workspace}/kpis/{key}`.
///
/// Stored as JSON with flat, snake_case fields (`aggregation` is the kind; `numerator_stream` and
/// `denominator_stream` appear only for ratios), the same shape the API accepts.
public struct KPIDefinition: Sendable, Equatable, Codable {
    public var key: String
    public var name: String
    public var description: String
    /// Free text shown next to values (`EUR`, `users`, `%`). See `displayScale`.
    public var unit: String
    public var aggregation: KPIAggregation
    /// In the KPI's own value space (a ratio's target is a fraction, 0.05 for 5 %). nil: none.
    public var target: Double?
    public var direction: KPIDirection

    public static let maxDescriptionLength = 2000
    public static let maxUnitLength = 32
    /// Targets are compared with doubles that came through JSON; beyond this they are typos.
    public static let maxAbsTarget = 1e15

    public init(key: String, name: String, description: String = "", unit: String = "", aggregation: KPIAggregation,
                target: Double? = nil, direction: KPIDirection = .higherIsBetter) {
        self.key = key
        self.name = name
        self.description = description
        self.unit = unit
        self.aggregation = aggregation
        self.target = target
        self.direction = direction
    }

    /// The first problem, or nil. Checks what a schema cannot: key rules, lengths, finite
    /// target, ratio stream names.
    public func validate() -> ValidationFailure? {
        if let problem = KPIKey.validate(key) { return problem }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || trimmed.count > DisplayName.maxLength || trimmed != name {
            return ValidationFailure(field: "name", message: "name must be 1 to \(DisplayName.maxLength) characters, without surrounding whitespace")
        }
        if description.unicodeScalars.count > Self.maxDescriptionLength {
            return ValidationFailure(field: "description", message: "description must be at most \(Self.maxDescriptionLength) characters")
        }
        if unit.unicodeScalars.count > Self.maxUnitLength || unit.unicodeScalars.contains(where: KPIText.isControl) {
            return ValidationFailure(field: "unit", message: "unit must be at most \(Self.maxUnitLength) characters, without control characters")
        }
        if let target, !target.isFinite || abs(target) > Self.maxAbsTarget {
            return ValidationFailure(field: "target", message: "target must be a finite number of magnitude at most 1e15")
        }
        return aggregation.validate()
    }

    /// Factor from stored values to displayed ones: 100 for a ratio whose unit is `%` (ratios
    /// are fractions; people read conversion as 4.2 %, not 0.042 %), else 1.
    public var displayScale: Double {
        if case .ratio = aggregation, unit == "%" { return 100 }
        return 1
    }

    enum CodingKeys: String, CodingKey {
        case key, name, description, unit, aggregation, target, direction
        case numeratorStream = "numerator_stream"
        case denominatorStream = "denominator_stream"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
        unit = try c.decodeIfPresent(String.self, forKey: .unit) ?? ""
        let kind = try c.decode(KPIAggregation.Kind.self, forKey: .aggregation)
        let numerator = try c.decodeIfPresent(String.self, forKey: .numeratorStream)
        let denominator = try c.decodeIfPresent(String.self, forKey: .denominatorStream)
        guard let aggregation = KPIAggregation(kind: kind, numerator: numerator, denominator: denominator) else {
            throw DecodingError.dataCorruptedError(forKey: .numeratorStream, in: c,
                                                   debugDescription: "stream names apply only to ratio KPIs")
        }
        self.aggregation = aggregation
        target = try c.decodeIfPresent(Double.self, forKey: .target)
        direction = try c.decodeIfPresent(KPIDirection.self, forKey: .direction) ?? .higherIsBetter
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encode(name, forKey: .name)
        try c.encode(description, forKey: .description)
        try c.encode(unit, forKey: .unit)
        try c.encode(aggregation.kind, forKey: .aggregation)
        if case .ratio(let numerator, let denominator) = aggregation {
            try c.encode(numerator, forKey: .numeratorStream)
            try c.encode(denominator, forKey: .denominatorStream)
        }
        try c.encodeIfPresent(target, forKey: .target)
        try c.encode(direction, forKey: .direction)
    }
}
