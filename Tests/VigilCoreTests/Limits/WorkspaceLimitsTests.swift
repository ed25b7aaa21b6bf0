import Testing
import VigilCore

@Suite struct WorkspaceLimitsTests {
    let limits = WorkspaceLimits(maxActiveSeries: 10, maxConfigObjectsPerKind: 3, maxConcurrentReports: 2, maxQueryCost: 100)

    @Test func defaultsAreDocumented() {
        let defaults = WorkspaceLimits()
        #expect(defaults.maxActiveSeries == 100_000)
        #expect(defaults.maxConfigObjectsPerKind == 1_000)
        #expect(defaults.maxConcurrentReports == 2)
        #expect(defaults.maxQueryCost == 31 * 1_440 * 100)
        #expect(defaults.ingestPointsPerMinute == 12_000_000)
        #expect(defaults.kpiEventsPerMinute == 60_000)
        #expect(ApiKeyRole.allCases.allSatisfy { defaults.requestsPerMinute(for: $0) == 60_000 })
    }

    @Test(arguments: [(0, true), (2, true), (3, false), (50, false)])
    func configObjects(existing: Int, allowed: Bool) {
        #expect((limits.admitsConfigObject(.silence, existing: existing) == .allowed) == allowed)
    }

    @Test func refusalNamesTheLimitAndKind() {
        guard case .refused(let message) = limits.admitsConfigObject(.escalationPolicy, existing: 3) else { Issue.record(); return }
        #expect(message.contains("3 escalation policies"))
    }

    @Test(arguments: [(0, 10, true), (9, 1, true), (10, 0, true), (10, 1, false), (5, 6, false), (20, 0, true)])
    func series(existing: Int, new: Int, allowed: Bool) {
        #expect((limits.admitsNewSeries(existing: existing, new: new) == .allowed) == allowed)
    }

    @Test(arguments: [(0, true), (1, true), (2, false), (7, false)])
    func reports(inFlight: Int, allowed: Bool) {
        #expect((limits.admitsReport(inFlight: inFlight) == .allowed) == allowed)
    }

    @Test(arguments: [(100, 1, true), (10, 10, true), (0, 0, true), (101, 1, false), (11, 10, false), (Int.max, 2, false)])
    func queries(window: Int, groups: Int, allowed: Bool) {
        #expect((limits.admitsQuery(windowMinutes: window, groups: groups) == .allowed) == allowed)
    }
}
