import Foundation

/// `GET …/dashboards/websocket?window=60` (minutes): the reference "WebSocket Monitoring
/// Dashboard" (django-monitoring-guide.md, `/monitoring/websocket/` and "WebSocket Metrics").
///
/// Clients send: `websocket.connections.active` gauge (open connections now, service-wide,
/// tagged `user_type`, at least once a minute); `websocket.connection.attempt` counter tagged
/// `status` (`accepted`/`rejected`), `user_type` and, when rejected, `rejection_reason`;
/// `websocket.connection.duration` timing (ms) per closed connection tagged `user_type`;
/// `websocket.messages` counter tagged `direction` (`sent`/`received`); and
/// `websocket.throttle.hits` counter tagged `user_type` when the throttle refuses anything.
public enum WebSocketDashboard {
    public static let activeMetric = "websocket.connections.active"
    public static let attemptMetric = "websocket.connection.attempt"
    public static let durationMetric = "websocket.connection.duration"
    public static let messagesMetric = "websocket.messages"
    public static let throttleMetric = "websocket.throttle.hits"

    /// The active-connection gauge is read over the last 5 minutes (the mean of its readings),
    /// since the stats API has no "last value"; older readings no longer describe "now".
    public static let activeLookbackMinutes = 5
    /// The reference's `WebSocketConnectionFlood` alert: "20 rejections/min", critical
    /// (django-monitoring-guide.md, "Prometheus Alerts"). Applied to the window's average.
    public static let floodRejectionsPerMinute = 20.0
    /// Vigil's choice (the reference sets no target): at least 95 % of attempts accepted.
    public static let acceptanceRateTarget = 0.95

    public static let activeByUserType = DashboardQuery(id: "active_by_user_type", metric: activeMetric, kind: .gauge,
                                                        groupBy: "user_type", lookbackMinutes: activeLookbackMinutes)
    public static let attemptsByStatus = DashboardQuery(id: "attempts_by_status", metric: attemptMetric, kind: .counter, groupBy: "status")
    public static let rejectionsByReason = DashboardQuery(id: "rejections_by_reason", metric: attemptMetric, kind: .counter,
                                                          groupBy: "rejection_reason", tagFilters: ["status": "rejected"])
    public static let durationByUserType = DashboardQuery(id: "duration_by_user_type", metric: durationMetric, kind: .timing, groupBy: "user_type")
    public static let messagesByDirection = DashboardQuery(id: "messages_by_direction", metric: messagesMetric, kind: .counter, groupBy: "direction")
    public static let throttleByUserType = DashboardQuery(id: "throttle_by_user_type", metric: throttleMetric, kind: .counter, groupBy: "user_type")
    public static let queries = [activeByUserType, attemptsByStatus, rejectionsByReason, durationByUserType, messagesByDirection, throttleByUserType]

    /// Flat, like the reference response. Durations are seconds, as the reference's.
    public struct Result: DashboardResult, Codable, Equatable {
        public var dashboard = DashboardID.websocket
        public var timestamp: String
        public var windowMinutes: Int
        /// Sum over user types; null when no gauge reading arrived in the last 5 minutes.
        @ExplicitNull public var activeConnections: Int?
        public var connectionsByUserType: [String: Int]
        public var connectionAttempts: Int
        public var acceptedConnections: Int
        /// Every attempt not tagged `status=accepted`.
        public var rejectedConnections: Int
        /// Fraction (0–1) as in the reference; null without attempts.
        @ExplicitNull public var acceptanceRate: Double?
        public var rejectionReasons: [String: Int]
        @ExplicitNull public var avgConnectionDuration: Double?
        public var connectionDurationSeconds: DistributionSummary
        /// Null when no message counts arrived at all (not instrumented is not "0/s").
        @ExplicitNull public var messagesPerSecond: Double?
        public var messagesPerSecondByDirection: [String: Double]
        public var throttleHits: Int
        public var throttleHitsByUserType: [String: Int]
        public var slo: [SLOCheck]
        @ExplicitNull public var sloCompliant: Bool?
        public var recommendations: [Recommendation]

        enum CodingKeys: String, CodingKey {
            case dashboard, timestamp, windowMinutes = "window_minutes", activeConnections = "active_connections"
            case connectionsByUserType = "connections_by_user_type", connectionAttempts = "connection_attempts"
            case acceptedConnections = "accepted_connections", rejectedConnections = "rejected_connections"
            case acceptanceRate = "acceptance_rate", rejectionReasons = "rejection_reasons"
            case avgConnectionDuration = "avg_connection_duration", connectionDurationSeconds = "connection_duration_seconds"
            case messagesPerSecond = "messages_per_second", messagesPerSecondByDirection = "messages_per_second_by_direction"
            case throttleHits = "throttle_hits", throttleHitsByUserType = "throttle_hits_by_user_type"
            case slo, sloCompliant = "slo_compliant", recommendations
        }
    }

    public static func compute(_ inputs: DashboardInputs) -> Result {
        let active = inputs[activeByUserType]
        let byUserType = active.namedGroups.filter { $0.value.count > 0 }.compactMapValues { $0.mean.map(DashboardMath.count) }
        let attempts = inputs[attemptsByStatus]
        let total = DashboardMath.count(DashboardMath.events(in: attempts.overall, kind: .counter))
        let accepted = Swift.min(DashboardMath.count(attempts.groups["accepted"].map { DashboardMath.events(in: $0, kind: .counter) } ?? 0), total)
        var reasons = DashboardMath.counts(inputs[rejectionsByReason].namedGroups, kind: .counter)
        let unexplained = total - accepted - reasons.values.reduce(0, +)
        if unexplained > 0 { reasons["unknown", default: 0] += unexplained }
        let acceptance = DashboardMath.fraction(Double(accepted), of: Double(total))
        let messages = inputs[messagesByDirection]
        let seconds = inputs.window.seconds
        func perSecond(_ stats: MetricStats) -> Double? {
            stats.count > 0 ? DashboardMath.rounded(DashboardMath.perSecond(DashboardMath.events(in: stats, kind: .counter), over: seconds), places: 3) : nil
        }
        let throttle = inputs[throttleByUserType]
        let durations = DistributionSummary(inputs[durationByUserType].overall, scale: 0.001)
        let slo = [SLOCheck(name: "acceptance_rate", comparison: .atLeast, target: acceptanceRateTarget, actual: acceptance)]
        var result = Result(
            timestamp: DashboardMath.timestamp(inputs.generatedAt), windowMinutes: inputs.window.minutes,
            activeConnections: active.overall.count > 0 ? byUserType.values.reduce(0, +) : nil,
            connectionsByUserType: byUserType, connectionAttempts: total, acceptedConnections: accepted,
            rejectedConnections: total - accepted, acceptanceRate: DashboardMath.rounded(acceptance, places: 4),
            rejectionReasons: reasons, avgConnectionDuration: DashboardMath.rounded(durations.mean, places: 3),
            connectionDurationSeconds: durations, messagesPerSecond: perSecond(messages.overall),
            messagesPerSecondByDirection: messages.namedGroups.compactMapValues(perSecond),
            throttleHits: DashboardMath.count(DashboardMath.events(in: throttle.overall, kind: .counter)),
            throttleHitsByUserType: DashboardMath.counts(throttle.namedGroups, kind: .counter),
            slo: slo, sloCompliant: SLOCheck.overall(slo), recommendations: [])
        result.recommendations = recommendations(result)
        return result
    }

    static func recommendations(_ r: Result) -> [Recommendation] {
        guard r.connectionAttempts > 0 || r.activeConnections != nil || r.messagesPerSecond != nil || r.throttleHits > 0 else {
            return [Recommendation(level: .info, message: "No WebSocket metrics in the last \(r.windowMinutes) minutes",
                                   action: "Send \(attemptMetric) counters and a \(activeMetric) gauge tagged user_type")]
        }
        var advice: [Recommendation] = []
        let perMinute = Double(r.rejectedConnections) / Double(Swift.max(r.windowMinutes, 1))
        let topReason = DashboardMath.ranked(r.rejectionReasons).first ?? "unknown"
        if perMinute >= floodRejectionsPerMinute {
            advice.append(Recommendation(
                level: .critical,
                message: "Possible WebSocket connection flood: \(DashboardMath.format(perMinute)) rejections per minute (alert at \(DashboardMath.format(floodRejectionsPerMinute)))",
                action: "Find the source addresses behind the rejections (mostly \(topReason)) and block or rate-limit them"))
        }
        if let slo = r.slo.first, slo.met == false {
            advice.append(Recommendation(
                level: .warning,
                message: "Only \(DashboardMath.format((slo.actual ?? 0) * 100))% of WebSocket connection attempts accepted (target \(DashboardMath.format(acceptanceRateTarget * 100))%)",
                action: "Check the main rejection reason (\(topReason)): raise limits if the clients are legitimate"))
        }
        if r.throttleHits > 0 {
            let who = DashboardMath.ranked(r.throttleHitsByUserType).first.map { " (mostly \($0))" } ?? ""
            advice.append(Recommendation(level: .info, message: "\(r.throttleHits) throttle hits in the last \(r.windowMinutes) minutes\(who)",
                                         action: "Confirm the throttled clients are misbehaving rather than limits being too tight"))
        }
        if advice.isEmpty {
            advice.append(Recommendation(level: .info, message: "WebSocket connections are healthy",
                                         action: "Continue monitoring rejections and throttle hits"))
        }
        return DashboardMath.bySeverity(advice)
    }
}
