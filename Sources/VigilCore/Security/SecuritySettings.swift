import Foundation

/// How a workspace scores and blocks addresses (`settings.security`): the block threshold, the
/// half-life of a score, how long an automatic block lasts, and the points per event kind.
public struct SecuritySettings: Sendable, Equatable, Codable {
    public var blockThreshold: Double = 100
    public var halfLifeMinutes: Int = 30
    public var blockMinutes: Int = 60
    /// Points per event kind; a kind not listed uses `SecurityEventKind.defaultWeight`.
    public var weights: [SecurityEventKind: Double] = [:]

    public static let thresholdRange: ClosedRange<Double> = 1...1_000_000
    public static let halfLifeRange = 1...10_080
    public static let blockMinutesRange = 1...525_600
    public static let weightRange: ClosedRange<Double> = 0...1_000_000

    public init() {}

    public func weight(of kind: SecurityEventKind) -> Double { weights[kind] ?? kind.defaultWeight }

    enum CodingKeys: String, CodingKey {
        case blockThreshold = "block_threshold"
        case halfLifeMinutes = "half_life_minutes"
        case blockMinutes = "block_minutes"
        case weights
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = SecuritySettings()
        blockThreshold = try c.decodeIfPresent(Double.self, forKey: .blockThreshold) ?? defaults.blockThreshold
        halfLifeMinutes = try c.decodeIfPresent(Int.self, forKey: .halfLifeMinutes) ?? defaults.halfLifeMinutes
        blockMinutes = try c.decodeIfPresent(Int.self, forKey: .blockMinutes) ?? defaults.blockMinutes
        let named = try c.decodeIfPresent([String: Double].self, forKey: .weights) ?? [:]
        // A kind a later release dropped is ignored rather than failing the whole settings object.
        weights = Dictionary(uniqueKeysWithValues: named.compactMap { name, value in SecurityEventKind(rawValue: name).map { ($0, value) } })
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(blockThreshold, forKey: .blockThreshold)
        try c.encode(halfLifeMinutes, forKey: .halfLifeMinutes)
        try c.encode(blockMinutes, forKey: .blockMinutes)
        try c.encode(Dictionary(uniqueKeysWithValues: weights.map { ($0.key.rawValue, $0.value) }), forKey: .weights)
    }

    public func validate() -> ValidationFailure? {
        if !blockThreshold.isFinite || !Self.thresholdRange.contains(blockThreshold) {
            return ValidationFailure(field: "settings.security.block_threshold", message: "block_threshold must be between 1 and 1000000")
        }
        if !Self.halfLifeRange.contains(halfLifeMinutes) {
            return ValidationFailure(field: "settings.security.half_life_minutes", message: "half_life_minutes must be between 1 and 10080 (a week)")
        }
        if !Self.blockMinutesRange.contains(blockMinutes) {
            return ValidationFailure(field: "settings.security.block_minutes", message: "block_minutes must be between 1 and 525600 (a year)")
        }
        for (kind, weight) in weights.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where !weight.isFinite || !Self.weightRange.contains(weight) {
            return ValidationFailure(field: "settings.security.weights.\(kind.rawValue)", message: "a weight must be between 0 and 1000000")
        }
        return nil
    }
}
