import Foundation

/// `GET …/dashboards/graphql-validation?window=60` (minutes): the reference "GraphQL Security
/// Dashboard" (django-monitoring-guide.md, `/monitoring/graphql/`), fed by what its
/// `record_query_validation(passed, complexity, depth, field_count, validation_time_ms,
/// rejection_reason)` recorded.
///
/// Clients send, per validated query, a `graphql.validation.complexity` point (the counting
/// metric) tagged `status` (`accepted` or `rejected`) and, when rejected, `rejection_reason`
/// (`complexity_exceeded`, `depth_exceeded`, …); and `graphql.validation.depth`,
/// `graphql.validation.field_count`, `graphql.validation.duration` (ms) points. All are
/// `timing`, Vigil's distribution kind (as StatsD timers are histograms).
public enum GraphQLValidationDashboard {
    public static let complexityMetric = "graphql.validation.complexity"
    public static let depthMetric = "graphql.validation.depth"
    public static let fieldCountMetric = "graphql.validation.field_count"
    public static let durationMetric = "graphql.validation.duration"

    /// The reference's `GraphQLComplexityAttack` alert: "10 rejections/5min", critical
    /// (django-monitoring-guide.md, "Prometheus Alerts"). Applied to the window's average.
    public static let attackRejectionsPerFiveMinutes = 10.0
    /// Vigil's choice (the reference sets no target): at least 95 % of queries accepted;
    /// more rejections mean clients and limits disagree, or someone is probing.
    public static let acceptanceRateTarget = 0.95

    public static let complexityByStatus = DashboardQuery(id: "complexity_by_status", metric: complexityMetric, kind: .timing, groupBy: "status")
    public static let rejectionsByReason = DashboardQuery(id: "rejections_by_reason", metric: complexityMetric, kind: .timing,
                                                          groupBy: "rejection_reason", tagFilters: ["status": "rejected"])
    public static let depth = DashboardQuery(id: "depth", metric: depthMetric, kind: .timing)
    public static let fieldCount = DashboardQuery(id: "field_count", metric: fieldCountMetric, kind: .timing)
    public static let validationTime = DashboardQuery(id: "validation_time", metric: durationMetric, kind: .timing)
    public static let queries = [complexityByStatus, rejectionsByReason, depth, fieldCount, validationTime]

    /// Flat, like the reference response; `mean` is the reference's `avg`.
    public struct Result: DashboardResult, Codable, Equatable {
        public var dashboard = DashboardID.graphqlValidation
        public var timestamp: String
        public var windowMinutes: Int
        public var totalValidations: Int
        public var acceptedCount: Int
        /// Every validation not tagged `status=accepted`.
        public var rejectedCount: Int
        /// Fraction (0–1) as in the reference; null when nothing was validated.
        @ExplicitNull public var acceptanceRate: Double?
        /// Rejections per 5 minutes, averaged over the window (the attack alert's unit).
        public var rejectionsPerFiveMinutes: Double
        public var complexity: DistributionSummary
        public var depth: DistributionSummary
        public var fieldCount: DistributionSummary
        public var validationTimeMs: DistributionSummary
        /// Rejections per `rejection_reason`; those without one count under `unknown`.
        public var rejectionReasons: [String: Int]
        public var slo: [SLOCheck]
        @ExplicitNull public var sloCompliant: Bool?
        public var recommendations: [Recommendation]

        enum CodingKeys: String, CodingKey {
            case dashboard, timestamp, windowMinutes = "window_minutes", totalValidations = "total_validations"
            case acceptedCount = "accepted_count", rejectedCount = "rejected_count", acceptanceRate = "acceptance_rate"
            case rejectionsPerFiveMinutes = "rejections_per_5_minutes", complexity, depth, fieldCount = "field_count"
            case validationTimeMs = "validation_time_ms", rejectionReasons = "rejection_reasons", slo
            case sloCompliant = "slo_compliant", recommendations
        }
    }

    public static func compute(_ inputs: DashboardInputs) -> Result {
        let status = inputs[complexityByStatus]
        let total = status.overall.count
        let accepted = Swift.min(status.groups["accepted"]?.count ?? 0, total)
        let rejected = total - accepted
        var reasons = DashboardMath.counts(inputs[rejectionsByReason].namedGroups, kind: .timing)
        let unexplained = rejected - reasons.values.reduce(0, +)
        if unexplained > 0 { reasons["unknown", default: 0] += unexplained }
        let acceptance = DashboardMath.fraction(Double(accepted), of: Double(total))
        let perFive = DashboardMath.fraction(Double(rejected) * 5, of: Double(inputs.window.minutes)) ?? 0
        let slo = [SLOCheck(name: "acceptance_rate", comparison: .atLeast, target: acceptanceRateTarget, actual: acceptance)]
        var result = Result(
            timestamp: DashboardMath.timestamp(inputs.generatedAt), windowMinutes: inputs.window.minutes,
            totalValidations: total, acceptedCount: accepted, rejectedCount: rejected,
            acceptanceRate: DashboardMath.rounded(acceptance, places: 4),
            rejectionsPerFiveMinutes: DashboardMath.rounded(perFive, places: 2) ?? 0,
            complexity: DistributionSummary(status.overall), depth: DistributionSummary(inputs[depth].overall),
            fieldCount: DistributionSummary(inputs[fieldCount].overall),
            validationTimeMs: DistributionSummary(inputs[validationTime].overall),
            rejectionReasons: reasons, slo: slo, sloCompliant: SLOCheck.overall(slo), recommendations: [])
        result.recommendations = recommendations(result, exactRejectionsPerFive: perFive)
        return result
    }

    static func recommendations(_ r: Result, exactRejectionsPerFive perFive: Double) -> [Recommendation] {
        guard r.totalValidations > 0 else {
            return [Recommendation(level: .info, message: "No GraphQL validation metrics in the last \(r.windowMinutes) minutes",
                                   action: "Send one \(complexityMetric) timing point per validated query, tagged status")]
        }
        var advice: [Recommendation] = []
        let topReason = DashboardMath.ranked(r.rejectionReasons).first ?? "unknown"
        if perFive >= attackRejectionsPerFiveMinutes {
            advice.append(Recommendation(
                level: .critical,
                message: "Possible GraphQL complexity attack: \(DashboardMath.format(perFive)) rejections per 5 minutes (alert at \(DashboardMath.format(attackRejectionsPerFiveMinutes)))",
                action: "Identify the sources of rejected queries (mostly \(topReason)) and block or rate-limit abusive clients"))
        }
        if let slo = r.slo.first, slo.met == false {
            advice.append(Recommendation(
                level: .warning,
                message: "Only \(DashboardMath.format((slo.actual ?? 0) * 100))% of GraphQL queries accepted (target \(DashboardMath.format(acceptanceRateTarget * 100))%)",
                action: "If your own clients send the rejected queries (mostly \(topReason)), simplify them or review the limits; otherwise treat them as probing"))
        }
        if advice.isEmpty {
            advice.append(Recommendation(level: .info, message: "GraphQL query validation is healthy",
                                         action: "Continue monitoring rejection reasons and p95 complexity"))
        }
        return DashboardMath.bySeverity(advice)
    }
}
