import Testing
import VigilCore

struct WebSocketDashboardTests {
    typealias D = WebSocketDashboard

    static func inputs(accepted: Double, rejected: Double, window: Int = 60, reasons: [String: Double] = [:],
                       extra: [DashboardQuery: DashboardQueryStats] = [:]) -> DashboardInputs {
        var stats: [DashboardQuery: DashboardQueryStats] = [
            D.attemptsByStatus: DashboardFixture.grouped(["accepted": DashboardFixture.counter(accepted), "rejected": DashboardFixture.counter(rejected)]),
            D.rejectionsByReason: DashboardFixture.grouped(reasons.mapValues { DashboardFixture.counter($0) }),
        ]
        stats.merge(extra) { $1 }
        return DashboardFixture.inputs(.websocket, window: window, stats)
    }

    @Test func referenceExample() {
        let active = DashboardFixture.grouped([
            "anonymous": DashboardFixture.timing(5, value: 50), "authenticated": DashboardFixture.timing(5, value: 349.6), "staff": DashboardFixture.timing(5, value: 50),
        ])
        let result = D.compute(Self.inputs(accepted: 4800, rejected: 200, reasons: ["rate_limit_exceeded": 150], extra: [
            D.activeByUserType: active,
            D.durationByUserType: DashboardFixture.grouped(["authenticated": DashboardFixture.timing(40, value: 180_500, p95: 600_000)]),
            D.messagesByDirection: DashboardFixture.grouped(["sent": DashboardFixture.counter(300_000), "received": DashboardFixture.counter(151_800)]),
            D.throttleByUserType: DashboardFixture.grouped(["anonymous": DashboardFixture.counter(30), "authenticated": DashboardFixture.counter(2)]),
        ]))
        #expect(result.activeConnections == 450)
        #expect(result.connectionsByUserType == ["anonymous": 50, "authenticated": 350, "staff": 50])
        #expect(result.connectionAttempts == 5000)
        #expect(result.acceptedConnections == 4800)
        #expect(result.rejectedConnections == 200)
        #expect(result.acceptanceRate == 0.96)
        #expect(result.rejectionReasons == ["rate_limit_exceeded": 150, "unknown": 50])
        #expect(result.avgConnectionDuration == 180.5)
        #expect(result.connectionDurationSeconds.p95 == 600)
        #expect(result.messagesPerSecond == 125.5)
        #expect(result.messagesPerSecondByDirection == ["sent": 83.333, "received": 42.167])
        #expect(result.throttleHits == 32)
        #expect(result.throttleHitsByUserType == ["anonymous": 30, "authenticated": 2])
        #expect(result.sloCompliant == true)
        #expect(result.recommendations.map(\.level) == [.info])
        #expect(result.recommendations[0].message == "32 throttle hits in the last 60 minutes (mostly anonymous)")
    }

    /// "20 rejections/min": over 10 minutes that is 200 rejections.
    @Test(arguments: [(10, 199.0, false), (10, 200.0, true), (1, 20.0, true), (1, 19.0, false)])
    func floodBoundary(window: Int, rejected: Double, critical: Bool) {
        let result = D.compute(Self.inputs(accepted: 1_000_000, rejected: rejected, window: window))
        #expect(result.recommendations.contains { $0.level == .critical } == critical)
    }

    @Test(arguments: [(95.0, 5.0, true), (94.0, 6.0, false), (0.0, 3.0, false)])
    func acceptanceBoundary(accepted: Double, rejected: Double, met: Bool) {
        let result = D.compute(Self.inputs(accepted: accepted, rejected: rejected))
        #expect(result.slo.first?.met == met)
        #expect(result.recommendations.contains { $0.level == .warning } == !met)
    }

    @Test func staleGaugeAndNoMessagesAreNullNotZero() {
        let result = D.compute(Self.inputs(accepted: 10, rejected: 0))
        #expect(result.activeConnections == nil)
        #expect(result.connectionsByUserType.isEmpty)
        #expect(result.messagesPerSecond == nil)
        #expect(result.avgConnectionDuration == nil)
        #expect(result.recommendations.map(\.message) == ["WebSocket connections are healthy"])
    }

    @Test func emptyInput() {
        let result = D.compute(DashboardFixture.inputs(.websocket))
        #expect(result.connectionAttempts == 0)
        #expect(result.acceptanceRate == nil)
        #expect(result.sloCompliant == nil)
        #expect(result.recommendations.map(\.level) == [.info])
        #expect(result.recommendations[0].message.hasPrefix("No WebSocket metrics"))
    }
}
