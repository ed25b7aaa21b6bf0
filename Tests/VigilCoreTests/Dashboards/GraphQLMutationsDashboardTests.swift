import Testing
import VigilCore

struct GraphQLMutationsDashboardTests {
    typealias D = GraphQLMutationsDashboard

    static func inputs(success: Int, error: Int, p95: Double = 120, p99: Double = 300,
                       errors: [String: Int] = [:], mutations: [String: MetricStats] = [:]) -> DashboardInputs {
        DashboardFixture.inputs(.graphqlMutations, [
            D.byStatus: DashboardFixture.grouped(["success": DashboardFixture.timing(success), "error": DashboardFixture.timing(error)],
                                        overall: DashboardFixture.timing(success + error, value: 100, p95: p95, p99: p99, max: 1500)),
            D.byMutation: DashboardFixture.grouped(mutations),
            D.errorsByType: DashboardFixture.grouped(errors.mapValues { DashboardFixture.timing($0) }),
        ])
    }

    @Test func referenceExample() {
        let result = D.compute(Self.inputs(
            success: 1200, error: 34, p95: 350, p99: 800,
            errors: ["ValidationError": 20, "PermissionDenied": 10],
            mutations: ["LoginUser": DashboardFixture.timing(500, value: 120, p95: 600), "CreateJob": DashboardFixture.timing(300, p95: 90)]))
        let s = result.statistics
        #expect(s.totalMutations == 1234)
        #expect(s.successfulMutations == 1200)
        #expect(s.failedMutations == 34)
        #expect(s.successRate == 97.24)
        #expect(s.executionTime.p95 == 350)
        #expect(s.executionTime.max == 1500)
        #expect(s.executionTime.mean == 100)
        #expect(s.mutationBreakdown == ["LoginUser": 500, "CreateJob": 300])
        #expect(s.mutationPerformance["LoginUser"]?.p95 == 600)
        #expect(s.errorBreakdown == ["ValidationError": 20, "PermissionDenied": 10, "unknown": 4])
        #expect(result.windowMinutes == 60)
        #expect(result.sloCompliant == true)
        #expect(result.recommendations == [Recommendation(level: .info, message: "Mutation performance is healthy",
                                                          action: "Continue monitoring p95 latency")])
    }

    @Test(arguments: [
        (499.0, 999.0, true, true), (500.0, 999.0, false, true), (499.0, 1000.0, true, false), (800.0, 2000.0, false, false),
    ])
    func sloBoundaries(p95: Double, p99: Double, p95Met: Bool, p99Met: Bool) {
        let result = D.compute(Self.inputs(success: 100, error: 0, p95: p95, p99: p99))
        #expect(result.slo.map(\.name) == ["p95_execution_time_ms", "p99_execution_time_ms"])
        #expect(result.slo.map(\.met) == [p95Met, p99Met])
        #expect(result.slo.map(\.target) == [500, 1000])
        #expect(result.sloCompliant == (p95Met && p99Met))
        let warnings = result.recommendations.filter { $0.level == .warning }
        #expect(warnings.count == [p95Met, p99Met].filter { !$0 }.count)
        #expect(result.recommendations.contains { $0.level == .info } == (p95Met && p99Met))
    }

    /// The reference alert fires above 5 %: 5 of 100 failing does not, 6 of 100 does.
    @Test(arguments: [(5, false), (6, true), (0, false), (100, true)])
    func failureRateBoundary(failed: Int, critical: Bool) {
        let result = D.compute(Self.inputs(success: 100 - failed, error: failed, errors: failed > 0 ? ["Timeout": failed] : [:]))
        #expect(result.recommendations.contains { $0.level == .critical } == critical)
        if critical {
            #expect(result.recommendations.first?.level == .critical)
            #expect(result.recommendations.first?.action.hasSuffix("Timeout") == true)
        }
    }

    @Test func slowMutationsAreNamedInTheAdvice() {
        let result = D.compute(Self.inputs(success: 10, error: 0, p95: 700, mutations: [
            "A": DashboardFixture.timing(1, p95: 100), "B": DashboardFixture.timing(1, p95: 900), "C": DashboardFixture.timing(1, p95: 800), "D": DashboardFixture.timing(1, p95: 50),
        ]))
        #expect(result.recommendations.first?.action.contains("(B, C, A)") == true)
    }

    @Test func emptyInput() {
        let result = D.compute(DashboardFixture.inputs(.graphqlMutations))
        #expect(result.statistics.totalMutations == 0)
        #expect(result.statistics.successRate == nil)
        #expect(result.statistics.executionTime.p95 == nil)
        #expect(result.statistics.errorBreakdown.isEmpty)
        #expect(result.sloCompliant == nil)
        #expect(result.recommendations.map(\.level) == [.info])
    }

    @Test func untaggedGroupsAreLeftOut() {
        let result = D.compute(DashboardFixture.inputs(.graphqlMutations, [
            D.byStatus: DashboardFixture.grouped(["success": DashboardFixture.timing(3)]),
            D.byMutation: DashboardFixture.grouped(["": DashboardFixture.timing(1), "LoginUser": DashboardFixture.timing(2)]),
        ]))
        #expect(result.statistics.mutationBreakdown == ["LoginUser": 2])
    }
}
