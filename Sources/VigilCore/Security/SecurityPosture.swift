import Foundation

/// What the security dashboard summarises over its window: events per kind and sub-kind, the
/// distinct sources per kind, detections per attack kind, and the addresses blocked now.
public struct SecurityWindowCounts: Sendable, Equatable {
    public var eventsByKind: [SecurityEventKind: Int]
    public var eventsBySubKind: [SecurityEventKind: [String: Int]]
    public var sourcesByKind: [SecurityEventKind: Int]
    public var detections: [AttackKind: Int]
    public var blockedNow: Int

    public init(eventsByKind: [SecurityEventKind: Int] = [:], eventsBySubKind: [SecurityEventKind: [String: Int]] = [:],
                sourcesByKind: [SecurityEventKind: Int] = [:], detections: [AttackKind: Int] = [:], blockedNow: Int = 0) {
        self.eventsByKind = eventsByKind; self.eventsBySubKind = eventsBySubKind; self.sourcesByKind = sourcesByKind
        self.detections = detections; self.blockedNow = blockedNow
    }

    public func events(_ kind: SecurityEventKind) -> Int { eventsByKind[kind] ?? 0 }

    /// The most frequent sub-kind of `kind` (ties by name); nil when none was sent.
    public func mostCommonSubKind(of kind: SecurityEventKind) -> String? {
        (eventsBySubKind[kind] ?? [:]).sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.first?.key
    }
}

/// One piece of advice on the dashboard, in the reference systems' `{level, message, action}` shape.
public struct SecurityRecommendation: Sendable, Equatable {
    public enum Level: String, Sendable, Codable { case info, warning, critical }

    public var level: Level
    public var message: String
    public var action: String

    public init(level: Level, message: String, action: String) {
        self.level = level; self.message = message; self.action = action
    }
}

/// The overall picture: a 0-100 threat score with its level, and recommendations.
public enum SecurityPosture {
    public enum Level: String, Sendable, Codable, CaseIterable { case low, medium, high, critical }

    /// Raw points at which the score reaches 63 (1 − 1/e): the default weights of 20
    /// SQL-injection attempts, or 10 detections.
    public static let scale: Double = 500
    public static let pointsPerDetection: Double = 50

    /// 100 × (1 − e^(−raw / 500)) with raw = Σ default weight × events + 50 × detections,
    /// rounded to one decimal: grows with activity, saturates below 100, never negative.
    public static func threatScore(_ counts: SecurityWindowCounts) -> Double {
        var raw = SecurityEventKind.allCases.reduce(0.0) { $0 + $1.defaultWeight * Double(counts.events($1)) }
        raw += pointsPerDetection * Double(counts.detections.values.reduce(0, +))
        return (100 * (1 - exp(-raw / scale)) * 10).rounded() / 10
    }

    public static func level(of score: Double) -> Level {
        switch score {
        case ..<25: .low
        case ..<50: .medium
        case ..<75: .high
        default: .critical
        }
    }

    public static let sqlInjectionWarning = 10
    public static let sqlInjectionCritical = 50
    public static let graphqlWarning = 10
    public static let csrfWarning = 10
    public static let authFailureWarning = 50

    public static func recommendations(_ counts: SecurityWindowCounts) -> [SecurityRecommendation] {
        var out: [SecurityRecommendation] = []
        for kind in AttackKind.allCases {
            guard let found = counts.detections[kind], found > 0 else { continue }
            out.append(SecurityRecommendation(level: .critical, message: "\(kind.alertName) detected \(found) time\(found == 1 ? "" : "s")",
                                              action: "Review the detection's evidence and the blocked sources"))
        }
        let sqli = counts.events(.sqlInjection)
        if sqli >= sqlInjectionWarning {
            out.append(SecurityRecommendation(level: sqli >= sqlInjectionCritical ? .critical : .warning,
                                              message: "High SQL injection activity: \(sqli) attempts",
                                              action: "Review and potentially block attacking IPs"))
        }
        let graphql = counts.events(.graphqlRejection)
        if graphql >= graphqlWarning {
            out.append(SecurityRecommendation(level: .warning, message: "GraphQL rejections: \(graphql)",
                                              action: "Check query complexity limits and the clients that hit them"))
        }
        let csrf = counts.events(.csrfViolation) + counts.events(.originViolation)
        if csrf >= csrfWarning {
            out.append(SecurityRecommendation(level: .warning, message: "CSRF and origin violations: \(csrf)",
                                              action: "Check the trusted origins and the pages that post cross-site"))
        }
        let failures = counts.events(.authFailure)
        if failures >= authFailureWarning {
            out.append(SecurityRecommendation(level: .warning, message: "Failed logins: \(failures)",
                                              action: "Consider rate limiting logins and enforcing MFA"))
        }
        if counts.blockedNow > 0 {
            out.append(SecurityRecommendation(level: .info, message: "\(counts.blockedNow) address\(counts.blockedNow == 1 ? " is" : "es are") blocked",
                                              action: "Make sure the edge polls GET …/security/blocklist"))
        }
        if out.isEmpty {
            out.append(SecurityRecommendation(level: .info, message: "No significant threats detected", action: "No action needed"))
        }
        return out
    }
}
