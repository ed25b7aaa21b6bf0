import Foundation
import Testing
import VigilCore

/// Each detector on synthetic event streams: a known campaign is found, with its evidence, and
/// the innocent traffic next to it is not.
struct AttackDetectionTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func minute(_ m: Int) -> Date { t0.addingTimeInterval(Double(m) * 60) }

    static func signal(_ source: String, _ kind: SecurityEventKind, _ sub: String? = nil, user: String? = nil, at m: Int = 0, _ count: Int = 1) -> SecuritySignal {
        SecuritySignal(source: source, kind: kind, subKind: sub, userRef: user, minute: minute(m), count: count)
    }

    @Test func graphqlComplexityAttackNeedsTenRejectionsWithinFiveMinutes() {
        let attack = (0..<5).map { Self.signal("198.51.100.7", .graphqlRejection, "complexity", at: $0, 2) }   // 10 in 5 minutes
        let slow = (0..<15).map { Self.signal("198.51.100.8", .graphqlRejection, "depth", at: $0) }              // 15 over 15 minutes
        let introspection = [Self.signal("198.51.100.9", .graphqlRejection, "introspection", at: 0, 30)]         // not a cost attack
        let findings = AttackDetection.detect(attack + slow + introspection)
        #expect(findings.map(\.subject) == ["198.51.100.7"])
        #expect(findings.first?.kind == .graphqlComplexityAttack)
        #expect(findings.first?.evidence["rejections_in_5_minutes"] == "10")
    }

    @Test func websocketFloodNeedsTwentyRejectionsInOneMinute() {
        let flood = [Self.signal("203.0.113.5", .websocketRejection, at: 3, 20)]
        let steady = (0..<15).map { Self.signal("203.0.113.6", .websocketRejection, at: $0, 19) }
        let findings = AttackDetection.detect(flood + steady)
        #expect(findings.map(\.subject) == ["203.0.113.5"])
        #expect(findings.first?.kind == .websocketFlood)
    }

    @Test func credentialStuffingFromOneSourceAndSprayingOnOneUser() {
        let stuffing = (0..<20).map { Self.signal("192.0.2.10", .authFailure, user: "user-\($0)", at: $0 % 15) }
        let spray = (0..<10).map { Self.signal("192.0.2.\(100 + $0 % 5)", .authFailure, user: "ceo", at: $0) }
        // A busy office NAT: 15 people mistype once each, a few retry.
        let office = (0..<15).map { Self.signal("192.0.2.200", .authFailure, user: "staff-\($0)", at: $0, $0 < 3 ? 2 : 1) }
        let findings = AttackDetection.detect(stuffing + spray + office)
        #expect(findings.map(\.subject) == ["192.0.2.10", "user:ceo"])
        #expect(findings.allSatisfy { $0.kind == .credentialStuffing })
        #expect(findings.last?.sources.count == 5, "every spraying source is named")
    }

    @Test func sqlInjectionCampaignsFromOneSourceOrAcrossSources() {
        let prober = [Self.signal("203.0.113.20", .sqlInjection, "union", at: 1, 3), Self.signal("203.0.113.20", .sqlInjection, "time_blind", at: 2, 2)]
        let botnet = (0..<4).map { Self.signal("203.0.113.\(30 + $0)", .sqlInjection, "stacked", at: $0, 5) }
        let falsePositive = [Self.signal("203.0.113.40", .sqlInjection, "comment", at: 0, 4)]   // one pattern, four hits: a WAF false positive
        let findings = AttackDetection.detect(prober + botnet + falsePositive)
        #expect(findings.map(\.subject) == ["203.0.113.20", "pattern:stacked"], "\(findings.map(\.subject))")
        #expect(findings.first?.evidence["patterns"] == "time_blind,union")
    }

    @Test func quietTrafficFindsNothing() {
        let quiet = [Self.signal("10.0.0.1", .rateLimit, at: 0, 50), Self.signal("10.0.0.2", .csrfViolation, at: 1, 3),
                     Self.signal("10.0.0.3", .originViolation, at: 2, 8)]
        #expect(AttackDetection.detect(quiet).isEmpty)
    }

    @Test func aFindingNamesAtMostAHundredSources() {
        let spray = (0..<300).map { Self.signal("198.18.\($0 / 250).\($0 % 250)", .authFailure, user: "admin", at: $0 % 15) }
        let finding = AttackDetection.detect(spray).first
        #expect(finding?.sources.count == AttackDetection.maxSourcesPerFinding)
        #expect(finding?.evidence["distinct_sources"] == "300")
    }
}
