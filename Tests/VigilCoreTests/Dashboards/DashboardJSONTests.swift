import Foundation
import Testing
import VigilCore

struct DashboardJSONTests {
    static let common: Set = ["dashboard", "timestamp", "slo", "slo_compliant", "recommendations"]

    static let topLevelKeys: [DashboardID: Set<String>] = [
        .graphqlMutations: common.union(["window_minutes", "statistics"]),
        .taskIdempotency: common.union(["window_hours", "statistics"]),
        .graphqlValidation: common.union([
            "window_minutes", "total_validations", "accepted_count", "rejected_count", "acceptance_rate",
            "rejections_per_5_minutes", "complexity", "depth", "field_count", "validation_time_ms", "rejection_reasons",
        ]),
        .websocket: common.union([
            "window_minutes", "active_connections", "connections_by_user_type", "connection_attempts", "accepted_connections",
            "rejected_connections", "acceptance_rate", "rejection_reasons", "avg_connection_duration",
            "connection_duration_seconds", "messages_per_second", "messages_per_second_by_direction", "throttle_hits",
            "throttle_hits_by_user_type",
        ]),
    ]

    /// Empty inputs still give every key, with null (not missing, not 0) where there is no data.
    @Test(arguments: DashboardID.allCases)
    func emptyResultHasEveryKeyInSnakeCase(dashboard: DashboardID) throws {
        let json = try DashboardFixture.json(dashboard.compute(DashboardFixture.inputs(dashboard)))
        #expect(Set(json.keys) == Self.topLevelKeys[dashboard])
        #expect(json["dashboard"] as? String == dashboard.rawValue)
        #expect(json["timestamp"] as? String == "2026-09-21T14:13:20.000Z")
        #expect(json["slo_compliant"] is NSNull)
        let slo = try #require((json["slo"] as? [[String: Any]])?.first)
        #expect(Set(slo.keys) == ["name", "comparison", "target", "actual", "met"])
        #expect(slo["actual"] is NSNull && slo["met"] is NSNull)
        let advice = try #require((json["recommendations"] as? [[String: Any]])?.first)
        #expect(Set(advice.keys) == ["level", "message", "action"])
        #expect(advice["level"] as? String == "info")
    }

    @Test func mutationStatisticsShape() throws {
        let inputs = DashboardFixture.inputs(.graphqlMutations, [
            GraphQLMutationsDashboard.byStatus: DashboardFixture.grouped(["success": DashboardFixture.timing(3)]),
            GraphQLMutationsDashboard.byMutation: DashboardFixture.grouped(["LoginUser": DashboardFixture.timing(3)]),
        ])
        let json = try DashboardFixture.json(GraphQLMutationsDashboard.compute(inputs))
        let statistics = try #require(json["statistics"] as? [String: Any])
        #expect(Set(statistics.keys) == ["total_mutations", "successful_mutations", "failed_mutations", "success_rate",
                                         "execution_time", "mutation_breakdown", "mutation_performance", "error_breakdown"])
        #expect(statistics["success_rate"] as? Double == 100)
        // Tag values used as keys stay verbatim (a snake_case key strategy would break them).
        #expect((statistics["mutation_breakdown"] as? [String: Int]) == ["LoginUser": 3])
        let time = try #require(statistics["execution_time"] as? [String: Any])
        #expect(Set(time.keys) == ["count", "mean", "min", "p50", "p95", "p99", "max"])
        #expect(json["slo_compliant"] as? Bool == true)
    }

    @Test func idempotencyStatisticsShape() throws {
        let inputs = DashboardFixture.inputs(.taskIdempotency, [
            TaskIdempotencyDashboard.checksByResult: DashboardFixture.grouped(["new": DashboardFixture.counter(10)]),
            TaskIdempotencyDashboard.checksByScope: DashboardFixture.grouped(["global": DashboardFixture.counter(10)]),
            TaskIdempotencyDashboard.checksByTask: DashboardFixture.grouped(["auto_close_jobs": DashboardFixture.counter(10)]),
        ])
        let json = try DashboardFixture.json(TaskIdempotencyDashboard.compute(inputs))
        let statistics = try #require(json["statistics"] as? [String: Any])
        #expect(Set(statistics.keys) == ["total_requests", "duplicate_hits", "duplicate_rate", "health_status",
                                         "scope_breakdown", "task_breakdown", "lock_metrics"])
        #expect(statistics["health_status"] as? String == "healthy")
        let scope = try #require((statistics["scope_breakdown"] as? [[String: Any]])?.first)
        #expect(Set(scope.keys) == ["scope", "total_requests", "duplicate_hits", "duplicate_rate"])
        let task = try #require((statistics["task_breakdown"] as? [[String: Any]])?.first)
        #expect(task["task"] as? String == "auto_close_jobs")
        let locks = try #require(statistics["lock_metrics"] as? [String: Int])
        #expect(Set(locks.keys) == ["duplicate_detected", "lock_acquired", "lock_failed"])
    }

    @Test func noDataStatusIsSnakeCase() throws {
        let json = try DashboardFixture.json(TaskIdempotencyDashboard.compute(DashboardFixture.inputs(.taskIdempotency)))
        let statistics = try #require(json["statistics"] as? [String: Any])
        #expect(statistics["health_status"] as? String == "no_data")
        #expect(statistics["duplicate_rate"] is NSNull)
    }

    @Test(arguments: DashboardID.allCases)
    func resultsRoundTrip(dashboard: DashboardID) throws {
        let inputs = DashboardFixture.inputs(dashboard, Dictionary(uniqueKeysWithValues: dashboard.queries.map {
            ($0, DashboardFixture.grouped(["a": DashboardFixture.counter(7), "success": DashboardFixture.timing(2)]))
        }))
        let data = try JSONEncoder().encode(dashboard.compute(inputs))
        switch dashboard {
        case .graphqlMutations: try roundTrip(GraphQLMutationsDashboard.compute(inputs), data)
        case .graphqlValidation: try roundTrip(GraphQLValidationDashboard.compute(inputs), data)
        case .websocket: try roundTrip(WebSocketDashboard.compute(inputs), data)
        case .taskIdempotency: try roundTrip(TaskIdempotencyDashboard.compute(inputs), data)
        }
    }

    func roundTrip<R: Codable & Equatable>(_ expected: R, _ data: Data) throws {
        #expect(try JSONDecoder().decode(R.self, from: data) == expected)
    }
}
