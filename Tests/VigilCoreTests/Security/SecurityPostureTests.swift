import Testing
import VigilCore

/// The dashboard's overall score, its level, and the recommendations.
struct SecurityPostureTests {
    @Test(arguments: [
        (0, 0, 0.0, SecurityPosture.Level.low),
        (4, 0, 18.1, .low),          // raw 100
        (20, 0, 63.2, .high),        // raw 500
        (0, 10, 63.2, .high),        // ten detections
        (100, 5, 99.6, .critical),
    ])
    func threatScoreSaturatesBelowAHundred(sqli: Int, detections: Int, score: Double, level: SecurityPosture.Level) {
        let counts = SecurityWindowCounts(eventsByKind: [.sqlInjection: sqli], detections: detections > 0 ? [.credentialStuffing: detections] : [:])
        #expect(SecurityPosture.threatScore(counts) == score)
        #expect(SecurityPosture.level(of: score) == level)
    }

    @Test func recommendationsFollowTheActivity() {
        #expect(SecurityPosture.recommendations(SecurityWindowCounts()).map(\.message) == ["No significant threats detected"])
        let busy = SecurityWindowCounts(eventsByKind: [.sqlInjection: 50, .graphqlRejection: 12, .authFailure: 60], detections: [.websocketFlood: 1],
                                        blockedNow: 2)
        let advice = SecurityPosture.recommendations(busy)
        #expect(advice.map(\.level) == [.critical, .critical, .warning, .warning, .info])
        #expect(advice[1].message == "High SQL injection activity: 50 attempts")
        #expect(advice[1].action == "Review and potentially block attacking IPs")
        #expect(advice.last?.message == "2 addresses are blocked")
        let some = SecurityPosture.recommendations(SecurityWindowCounts(eventsByKind: [.sqlInjection: 10]))
        #expect(some.map(\.level) == [.warning])
    }

    @Test func mostCommonSubKindBreaksTiesByName() {
        let counts = SecurityWindowCounts(eventsBySubKind: [.sqlInjection: ["union": 3, "boolean_blind": 3, "comment": 1]])
        #expect(counts.mostCommonSubKind(of: .sqlInjection) == "boolean_blind")
        #expect(counts.mostCommonSubKind(of: .graphqlRejection) == nil)
    }
}
