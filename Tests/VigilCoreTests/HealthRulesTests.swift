import Testing
import VigilCore

struct HealthRulesTests {
    @Test(arguments: [(nil, HealthStatus.degraded), (0.0, .healthy), (60.0, .healthy), (60.1, .unhealthy), (3600.0, .unhealthy)] as [(Double?, HealthStatus)])
    func worker(age: Double?, expected: HealthStatus) {
        #expect(HealthRules.worker(heartbeatAgeSeconds: age, maxAgeSeconds: 60) == expected)
    }

    @Test(arguments: [(nil, HealthStatus.degraded), (0.5, .healthy), (0.10, .healthy), (0.099, .degraded), (0.02, .degraded), (0.019, .unhealthy)] as [(Double?, HealthStatus)])
    func disk(free: Double?, expected: HealthStatus) {
        #expect(HealthRules.disk(freeFraction: free) == expected)
    }

    @Test func poolAndOverall() {
        #expect(HealthRules.pool(waiting: 0) == .healthy)
        #expect(HealthRules.pool(waiting: 3) == .degraded)
        #expect(HealthRules.overall([.healthy, .degraded, .healthy]) == .degraded)
        #expect(HealthRules.overall([.degraded, .unhealthy]) == .unhealthy)
        #expect(HealthRules.overall([]) == .healthy)
    }
}

struct DisplayNameTests {
    @Test(arguments: [("  Acme  ", "Acme"), ("x", "x"), (String(repeating: "n", count: 200), String(repeating: "n", count: 200))])
    func accepted(raw: String, expected: String) throws {
        #expect(try DisplayName.validated(raw) == expected)
    }

    @Test(arguments: ["", "   ", "\n\t", String(repeating: "n", count: 201)])
    func rejected(raw: String) {
        #expect(throws: ValidationFailure(field: "name", message: "name must be 1 to 200 characters")) { try DisplayName.validated(raw) }
    }
}
