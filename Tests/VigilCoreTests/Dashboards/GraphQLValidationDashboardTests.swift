import Testing
import VigilCore

struct GraphQLValidationDashboardTests {
    typealias D = GraphQLValidationDashboard

    static func inputs(accepted: Int, rejected: Int, window: Int = 60, reasons: [String: Int] = [:]) -> DashboardInputs {
        DashboardFixture.inputs(.graphqlValidation, window: window, [
            D.complexityByStatus: DashboardFixture.grouped(["accepted": DashboardFixture.timing(accepted, value: 200), "rejected": DashboardFixture.timing(rejected, value: 1200)],
                                                  overall: DashboardFixture.timing(accepted + rejected, value: 250, p95: 600, max: 1200)),
            D.rejectionsByReason: DashboardFixture.grouped(reasons.mapValues { DashboardFixture.timing($0) }),
            D.depth: DashboardFixture.grouped([:], overall: DashboardFixture.timing(accepted + rejected, value: 5, p95: 8, max: 12)),
            D.validationTime: DashboardFixture.grouped([:], overall: DashboardFixture.timing(accepted + rejected, value: 15.2)),
        ])
    }

    @Test func referenceExample() {
        let result = D.compute(Self.inputs(accepted: 1100, rejected: 134, reasons: ["complexity_exceeded": 90, "depth_exceeded": 44]))
        #expect(result.totalValidations == 1234)
        #expect(result.acceptedCount == 1100)
        #expect(result.rejectedCount == 134)
        #expect(result.acceptanceRate == 0.8914)
        #expect(result.complexity.mean == 250)
        #expect(result.complexity.p95 == 600)
        #expect(result.depth.max == 12)
        #expect(result.validationTimeMs.p50 == 15.2)
        #expect(result.fieldCount.count == 0)
        #expect(result.fieldCount.mean == nil)
        #expect(result.rejectionReasons == ["complexity_exceeded": 90, "depth_exceeded": 44])
        #expect(result.rejectionsPerFiveMinutes == 11.17)
        #expect(result.sloCompliant == false)
        #expect(result.recommendations.map(\.level) == [.critical, .warning])
        #expect(result.recommendations[0].action.contains("complexity_exceeded"))
    }

    /// "10 rejections/5min": over 60 minutes that is 120 rejections.
    @Test(arguments: [(60, 119, false), (60, 120, true), (5, 10, true), (5, 9, false), (1, 2, true), (1, 1, false)])
    func attackBoundary(window: Int, rejected: Int, critical: Bool) {
        let result = D.compute(Self.inputs(accepted: 100_000, rejected: rejected, window: window))
        #expect(result.recommendations.contains { $0.level == .critical } == critical)
    }

    @Test(arguments: [(95, 5, true), (94, 6, false), (100, 0, true), (0, 1, false)])
    func acceptanceBoundary(accepted: Int, rejected: Int, met: Bool) {
        let result = D.compute(Self.inputs(accepted: accepted, rejected: rejected, window: 600))
        #expect(result.slo.first?.met == met)
        #expect(result.recommendations.contains { $0.level == .warning } == !met)
        #expect(result.rejectionReasons == (rejected > 0 ? ["unknown": rejected] : [:]))
    }

    @Test func emptyInput() {
        let result = D.compute(DashboardFixture.inputs(.graphqlValidation))
        #expect(result.acceptanceRate == nil)
        #expect(result.rejectionsPerFiveMinutes == 0)
        #expect(result.sloCompliant == nil)
        #expect(result.recommendations.map(\.level) == [.info])
    }
}
