import Foundation

/// `GET …/dashboards/graphql-mutations?window=60` (minutes): the reference
/// `GraphQLMutationView` family (monitoring-enhancements.md, "GraphQL Mutation Monitoring").
///
/// Clients send one `graphql.mutation.duration` timing point (milliseconds) per mutation
/// execution, tagged `mutation` (operation name), `status` (`success` or `error`) and, on
/// errors, `error_type` (exception class, e.g. `ValidationError`).
public enum GraphQLMutationsDashboard {
    public static let durationMetric = "graphql.mutation.duration"

    /// SLO targets: "p95 < 500ms, p99 < 1000ms" (monitoring-enhancements.md, "SLO Targets").
    public static let p95TargetMs = 500.0
    public static let p99TargetMs = 1000.0
    /// Failure rate above which the dashboard raises a critical recommendation: the
    /// reference's `HighMutationFailureRate` alert, "> 5%" ("Alert Thresholds"). The reference
    /// gives no level; critical is Vigil's choice (failing logins and writes lose user work).
    public static let failureRateCriticalPercent = 5.0

    public static let byStatus = DashboardQuery(id: "mutations_by_status", metric: durationMetric, kind: .timing, groupBy: "status")
    public static let byMutation = DashboardQuery(id: "mutations_by_name", metric: durationMetric, kind: .timing, groupBy: "mutation")
    public static let errorsByType = DashboardQuery(id: "errors_by_type", metric: durationMetric, kind: .timing,
                                                    groupBy: "error_type", tagFilters: ["status": "error"])
    public static let queries = [byStatus, byMutation, errorsByType]

    public struct Statistics: Codable, Sendable, Equatable {
        public var totalMutations: Int
        public var successfulMutations: Int
        /// Every execution not tagged `status=success`.
        public var failedMutations: Int
        /// Percent (0–100) as in the reference; null when there were no mutations.
        @ExplicitNull public var successRate: Double?
        /// Milliseconds.
        public var executionTime: DistributionSummary
        /// Executions per mutation name.
        public var mutationBreakdown: [String: Int]
        /// Execution time (ms) per mutation name: the reference's "Top Mutations" table.
        public var mutationPerformance: [String: DistributionSummary]
        /// Failures per `error_type`; failures without one count under `unknown`.
        public var errorBreakdown: [String: Int]

        enum CodingKeys: String, CodingKey {
            case totalMutations = "total_mutations", successfulMutations = "successful_mutations"
            case failedMutations = "failed_mutations", successRate = "success_rate"
            case executionTime = "execution_time", mutationBreakdown = "mutation_breakdown"
            case mutationPerformance = "mutation_performance", errorBreakdown = "error_breakdown"
        }
    }

    public struct Result: DashboardResult, Codable, Equatable {
        public var dashboard = DashboardID.graphqlMutations
        public var timestamp: String
        public var windowMinutes: Int
        public var statistics: Statistics
        public var slo: [SLOCheck]
        @ExplicitNull public var sloCompliant: Bool?
        public var recommendations: [Recommendation]

        enum CodingKeys: String, CodingKey {
            case dashboard, timestamp, windowMinutes = "window_minutes", statistics, slo
            case sloCompliant = "slo_compliant", recommendations
        }
    }

    public static func compute(_ inputs: DashboardInputs) -> Result {
        let status = inputs[byStatus]
        let total = DashboardMath.count(Double(status.overall.count))
        let successful = Swift.min(status.groups["success"]?.count ?? 0, total)
        let failed = total - successful
        var errors = DashboardMath.counts(inputs[errorsByType].namedGroups, kind: .timing)
        let unexplained = failed - errors.values.reduce(0, +)
        if unexplained > 0 { errors["unknown", default: 0] += unexplained }
        let perMutation = inputs[byMutation].namedGroups
        let statistics = Statistics(
            totalMutations: total, successfulMutations: successful, failedMutations: failed,
            successRate: DashboardMath.rounded(DashboardMath.percent(Double(successful), of: Double(total)), places: 2),
            executionTime: DistributionSummary(status.overall),
            mutationBreakdown: DashboardMath.counts(perMutation, kind: .timing),
            mutationPerformance: perMutation.mapValues { DistributionSummary($0) },
            errorBreakdown: errors)
        let slo = [
            SLOCheck(name: "p95_execution_time_ms", comparison: .lessThan, target: p95TargetMs, actual: status.overall.p95),
            SLOCheck(name: "p99_execution_time_ms", comparison: .lessThan, target: p99TargetMs, actual: status.overall.p99),
        ]
        return Result(timestamp: DashboardMath.timestamp(inputs.generatedAt), windowMinutes: inputs.window.minutes,
                      statistics: statistics, slo: slo, sloCompliant: SLOCheck.overall(slo),
                      recommendations: recommendations(statistics, slo: slo, windowMinutes: inputs.window.minutes))
    }

    static func recommendations(_ s: Statistics, slo: [SLOCheck], windowMinutes: Int) -> [Recommendation] {
        guard s.totalMutations > 0 else {
            // Reference "Troubleshooting: No mutation metrics": the tracking was not wired in.
            return [Recommendation(level: .info, message: "No GraphQL mutation metrics in the last \(windowMinutes) minutes",
                                   action: "Send one \(durationMetric) timing point per mutation execution, tagged mutation and status")]
        }
        var advice: [Recommendation] = []
        let failurePercent = DashboardMath.percent(Double(s.failedMutations), of: Double(s.totalMutations)) ?? 0
        if failurePercent > failureRateCriticalPercent {
            let top = DashboardMath.ranked(s.errorBreakdown).first ?? "unknown"
            advice.append(Recommendation(
                level: .critical,
                message: "High mutation failure rate: \(DashboardMath.format(failurePercent))% (\(s.failedMutations) of \(s.totalMutations))",
                action: "Investigate the most frequent error type first: \(top)"))
        }
        let slowest = slowestMutations(s.mutationPerformance).joined(separator: ", ")
        for check in slo where check.met == false {
            let quantile = check.name.hasPrefix("p95") ? "p95" : "p99"
            advice.append(Recommendation(
                level: .warning,
                message: "Mutation \(quantile) execution time \(DashboardMath.format(check.actual ?? 0)) ms breaches the \(DashboardMath.format(check.target)) ms SLO",
                action: "Profile the slowest mutations (\(slowest)): database queries, external calls and lock waits"))
        }
        if advice.isEmpty {
            // Reference wording (monitoring-enhancements.md, example response).
            advice.append(Recommendation(level: .info, message: "Mutation performance is healthy", action: "Continue monitoring p95 latency"))
        }
        return DashboardMath.bySeverity(advice)
    }

    /// Up to three mutation names with the highest p95, slowest first.
    static func slowestMutations(_ performance: [String: DistributionSummary]) -> [String] {
        performance.compactMap { name, summary in summary.p95.map { (name, $0) } }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            .prefix(3).map(\.0)
    }
}
