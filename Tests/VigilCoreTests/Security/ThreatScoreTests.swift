import Foundation
import Testing
import VigilCore

/// Scoring and decay with the time injected: weights add, scores halve every half-life, an
/// address is blocked when strictly above the threshold, once, and not while exempt.
struct ThreatScoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: [
        // (stored, minutes later, half-life, expected)
        (100.0, 0.0, 60, 100.0),
        (100.0, 60.0, 60, 50.0),
        (100.0, 120.0, 60, 25.0),
        (80.0, 30.0, 30, 40.0),
        (100.0, -10.0, 60, 100.0),   // a date before the stored one reads the stored value
        (0.0, 600.0, 60, 0.0),
    ])
    func decaysByHalfLives(stored: Double, minutes: Double, halfLife: Int, expected: Double) {
        let score = ThreatScore(value: stored, asOf: Self.t0).decayed(to: Self.t0.addingTimeInterval(minutes * 60), halfLifeMinutes: halfLife)
        #expect(abs(score.value - expected) < 1e-9)
    }

    @Test func pointsAddAfterDecay() {
        let score = ThreatScore(value: 80, asOf: Self.t0).adding(25, at: Self.t0.addingTimeInterval(3600), halfLifeMinutes: 60)
        #expect(abs(score.value - 65) < 1e-9)
        #expect(score.asOf == Self.t0.addingTimeInterval(3600))
        #expect(ThreatScore.zero(at: Self.t0).adding(-5, at: Self.t0, halfLifeMinutes: 60).value == 0, "negative points are ignored")
    }

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var current: Double?
        var blockedUntilMinutes: Double?
        var exemptUntilMinutes: Double?
        var points: Double
        var blocks: Bool
        var description: String { name }
    }

    @Test(arguments: [
        Case(name: "first events under the threshold", current: nil, points: 75, blocks: false),
        Case(name: "exactly the threshold is not above it", current: 75, points: 25, blocks: false),
        Case(name: "just above blocks", current: 76, points: 25, blocks: true),
        Case(name: "one burst above blocks", current: nil, points: 125, blocks: true),
        Case(name: "already blocked: no second block", current: 150, blockedUntilMinutes: 30, points: 25, blocks: false),
        Case(name: "an expired block blocks again", current: 150, blockedUntilMinutes: -1, points: 25, blocks: true),
        Case(name: "exempt after a manual unblock", current: 150, exemptUntilMinutes: 60, points: 25, blocks: false),
        Case(name: "an exemption that ended does not hold", current: 150, exemptUntilMinutes: -5, points: 25, blocks: true),
    ])
    func blocksStrictlyAboveTheThreshold(_ c: Case) {
        let settings = SecuritySettings()
        let block = c.blockedUntilMinutes.map { BlockState(until: Self.t0.addingTimeInterval($0 * 60), source: .automatic, reason: "earlier") }
        let decision = ThreatDecision.score(current: c.current.map { ThreatScore(value: $0, asOf: Self.t0) }, block: block,
                                            exemptUntil: c.exemptUntilMinutes.map { Self.t0.addingTimeInterval($0 * 60) },
                                            points: c.points, now: Self.t0, settings: settings)
        #expect((decision.newBlock != nil) == c.blocks)
        if let newBlock = decision.newBlock {
            #expect(newBlock.until == Self.t0.addingTimeInterval(Double(settings.blockMinutes) * 60))
            #expect(newBlock.source == .automatic && newBlock.reason.contains("above 100"))
        }
    }

    @Test func aBusyNATUnderTheThresholdIsNeverBlocked() {
        // Twenty people behind one address each mistype a password once an hour, all day.
        let settings = SecuritySettings()
        var score: ThreatScore?
        for hour in 0..<24 {
            let now = Self.t0.addingTimeInterval(Double(hour) * 3600)
            let decision = ThreatDecision.score(current: score, block: nil, exemptUntil: nil,
                                                points: 20 * settings.weight(of: .authFailure), now: now, settings: settings)
            #expect(decision.newBlock == nil, "hour \(hour): \(decision.score.value)")
            score = decision.score
        }
        #expect((score?.value ?? 0) < settings.blockThreshold)
    }

    @Test func settingsValidateTheirRangesAndWeightsOverrideDefaults() throws {
        var settings = SecuritySettings()
        #expect(settings.validate() == nil)
        #expect(settings.weight(of: .sqlInjection) == 25)
        settings.weights[.sqlInjection] = 60
        #expect(settings.weight(of: .sqlInjection) == 60)
        let decoded = try JSONDecoder().decode(SecuritySettings.self, from: try JSONEncoder().encode(settings))
        #expect(decoded == settings)
        let legacy = try JSONDecoder().decode(SecuritySettings.self, from: Data(#"{"weights":{"retired_kind":3,"rate_limit":1}}"#.utf8))
        #expect(legacy.weights == [.rateLimit: 1] && legacy.blockThreshold == 100)
        for (mutate, field) in [({ (s: inout SecuritySettings) in s.blockThreshold = 0 }, "block_threshold"),
                                ({ (s: inout SecuritySettings) in s.halfLifeMinutes = 10_081 }, "half_life_minutes"),
                                ({ (s: inout SecuritySettings) in s.blockMinutes = 0 }, "block_minutes"),
                                ({ (s: inout SecuritySettings) in s.weights[.csrfViolation] = -1 }, "weights.csrf_violation")] {
            var bad = SecuritySettings()
            mutate(&bad)
            #expect(bad.validate()?.field == "settings.security.\(field)")
        }
    }
}
