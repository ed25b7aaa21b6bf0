import Foundation

/// One address's threat score: points from weighted events that halve every half-life.
/// Stored as the value at `asOf`; reading it later decays it first, so no job has to rewrite
/// scores as time passes.
public struct ThreatScore: Sendable, Equatable {
    public var value: Double
    public var asOf: Date

    public init(value: Double, asOf: Date) {
        self.value = value
        self.asOf = asOf
    }

    public static func zero(at date: Date) -> ThreatScore { ThreatScore(value: 0, asOf: date) }

    /// The score at `date` (never grows by waiting; a date before `asOf` reads the stored value).
    public func decayed(to date: Date, halfLifeMinutes: Int) -> ThreatScore {
        let elapsed = date.timeIntervalSince(asOf)
        guard elapsed > 0 else { return self }
        let halfLife = Double(max(1, halfLifeMinutes)) * 60
        return ThreatScore(value: value * pow(0.5, elapsed / halfLife), asOf: date)
    }

    /// The score at `date` after adding `points` there.
    public func adding(_ points: Double, at date: Date, halfLifeMinutes: Int) -> ThreatScore {
        let base = decayed(to: date, halfLifeMinutes: halfLifeMinutes)
        return ThreatScore(value: base.value + max(0, points), asOf: max(date, asOf))
    }
}

/// The block state of an address or network.
public struct BlockState: Sendable, Equatable {
    public enum Source: String, Sendable, Codable { case automatic, manual }

    public var until: Date
    public var source: Source
    public var reason: String

    public init(until: Date, source: Source, reason: String) {
        self.until = until
        self.source = source
        self.reason = reason
    }

    public func isActive(at date: Date) -> Bool { until > date }
}

/// What scoring an address decides: its new score and whether it must now be blocked.
public struct ThreatDecision: Sendable, Equatable {
    public var score: ThreatScore
    /// Non-nil when this update crossed the threshold of an address not already blocked: the
    /// new automatic block. A manual unblock still in force (`exemptUntil`) prevents it.
    public var newBlock: BlockState?

    /// Scores `points` arriving at `now` for an address with `current` score and `block`.
    /// Blocks when the score is strictly above the threshold (the reference systems' `> 100`).
    public static func score(current: ThreatScore?, block: BlockState?, exemptUntil: Date?, points: Double,
                             now: Date, settings: SecuritySettings) -> ThreatDecision {
        let updated = (current ?? .zero(at: now)).adding(points, at: now, halfLifeMinutes: settings.halfLifeMinutes)
        return ThreatDecision(score: updated, newBlock: newBlock(score: updated, block: block, exemptUntil: exemptUntil, now: now, settings: settings))
    }

    /// The automatic block an address whose score is now `score` gets: one when the score is
    /// above the threshold, no block is in force and no unblock exemption holds; else nil.
    /// (Ingest adds the points in the database and asks this with the score it returns.)
    public static func newBlock(score: ThreatScore, block: BlockState?, exemptUntil: Date?, now: Date, settings: SecuritySettings) -> BlockState? {
        let alreadyBlocked = block?.isActive(at: now) ?? false
        let exempt = exemptUntil.map { $0 > now } ?? false
        guard score.value > settings.blockThreshold, !alreadyBlocked, !exempt else { return nil }
        let reason = "threat score \(Int(score.value.rounded(.down))) above \(Self.plain(settings.blockThreshold))"
        return BlockState(until: now.addingTimeInterval(Double(settings.blockMinutes) * 60), source: .automatic, reason: reason)
    }

    public static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
