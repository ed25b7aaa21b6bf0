import Testing
import VigilCore

struct TaskIdempotencyDashboardTests {
    typealias D = TaskIdempotencyDashboard

    static func inputs(new: Double, duplicate: Double, window: Int = 24, lockFailed: Double = 0,
                       extra: [DashboardQuery: DashboardQueryStats] = [:]) -> DashboardInputs {
        var stats: [DashboardQuery: DashboardQueryStats] = [
            D.checksByResult: DashboardFixture.grouped(["new": DashboardFixture.counter(new), "duplicate": DashboardFixture.counter(duplicate)]),
            D.locksByResult: DashboardFixture.grouped(["acquired": DashboardFixture.counter(new), "failed": DashboardFixture.counter(lockFailed)]),
        ]
        stats.merge(extra) { $1 }
        return DashboardFixture.inputs(.taskIdempotency, window: window, stats)
    }

    @Test func referenceExample() {
        let result = D.compute(Self.inputs(new: 9955, duplicate: 45, lockFailed: 3, extra: [
            D.checksByScope: DashboardFixture.grouped(["global": DashboardFixture.counter(6000), "user": DashboardFixture.counter(3000), "device": DashboardFixture.counter(1000)]),
            D.duplicatesByScope: DashboardFixture.grouped(["global": DashboardFixture.counter(30), "user": DashboardFixture.counter(12), "device": DashboardFixture.counter(3)]),
            D.checksByTask: DashboardFixture.grouped(["auto_close_jobs": DashboardFixture.counter(2000), "send_digest": DashboardFixture.counter(8000)]),
            D.duplicatesByTask: DashboardFixture.grouped(["auto_close_jobs": DashboardFixture.counter(15), "send_digest": DashboardFixture.counter(15)]),
        ]))
        let s = result.statistics
        #expect(result.windowHours == 24)
        #expect(s.totalRequests == 10_000)
        #expect(s.duplicateHits == 45)
        #expect(s.duplicateRate == 0.45)
        #expect(s.healthStatus == .healthy)
        #expect(s.scopeBreakdown.map(\.name) == ["global", "user", "device"])
        #expect(s.scopeBreakdown[0].duplicateRate == 0.5)
        #expect(s.taskBreakdown.map(\.name) == ["send_digest", "auto_close_jobs"])
        #expect(s.taskBreakdown[1].duplicateRate == 0.75)
        #expect(s.lockMetrics == .init(duplicateDetected: 45, lockAcquired: 9955, lockFailed: 3))
        #expect(result.sloCompliant == true)
        #expect(result.recommendations.map(\.level) == [.warning, .info])
        #expect(result.recommendations[1] == Recommendation(level: .info, message: "Excellent idempotency: 0.45% duplicate rate",
                                                           action: "System operating within optimal parameters"))
    }

    /// Boundaries exactly at 1 % and 3 % over 10,000 requests.
    @Test(arguments: [
        (99.0, DashboardHealthStatus.healthy, RecommendationLevel.info, true), (100, .warning, .warning, false),
        (299, .warning, .warning, false), (300, .critical, .critical, false), (0, .healthy, .info, true),
    ])
    func healthBoundaries(duplicates: Double, status: DashboardHealthStatus, level: RecommendationLevel, sloMet: Bool) {
        let result = D.compute(Self.inputs(new: 10_000 - duplicates, duplicate: duplicates))
        #expect(result.statistics.healthStatus == status)
        #expect(result.recommendations.first?.level == level)
        #expect(result.slo.first?.met == sloMet)
        #expect(result.slo.first?.name == "duplicate_rate_percent")
    }

    @Test(arguments: [(100.0, 3.0, true), (100, 2, false), (99, 3, false)])
    func singleTaskIsCalledOut(requests: Double, duplicates: Double, calledOut: Bool) {
        let result = D.compute(Self.inputs(new: 100_000, duplicate: duplicates, extra: [
            D.checksByTask: DashboardFixture.grouped(["reindex": DashboardFixture.counter(requests)]),
            D.duplicatesByTask: DashboardFixture.grouped(["reindex": DashboardFixture.counter(duplicates)]),
        ]))
        #expect(result.statistics.healthStatus == .healthy)
        #expect(result.recommendations.contains { $0.message.hasPrefix("Task reindex") } == calledOut)
    }

    @Test func emptyInput() {
        let result = D.compute(DashboardFixture.inputs(.taskIdempotency))
        #expect(result.statistics.duplicateRate == nil)
        #expect(result.statistics.healthStatus == .noData)
        #expect(result.statistics.scopeBreakdown.isEmpty)
        #expect(result.sloCompliant == nil)
        #expect(result.recommendations.map(\.message) == ["No task idempotency metrics in the last 24 hours"])
    }
}
