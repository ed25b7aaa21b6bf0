/// What a client application reports to `POST …/security/events`: the attack and abuse signals
/// the reference systems' middleware raise (SQL-injection patterns, GraphQL validation
/// rejections, CSRF and origin violations, rate-limit hits, failed logins, WebSocket refusals).
public enum SecurityEventKind: String, Sendable, CaseIterable, Codable, Hashable {
    case sqlInjection = "sql_injection"
    case graphqlRejection = "graphql_rejection"
    case csrfViolation = "csrf_violation"
    case originViolation = "origin_violation"
    case rateLimit = "rate_limit"
    case authFailure = "auth_failure"
    case websocketRejection = "websocket_rejection"

    /// Threat-score points one event adds to its source address before decay. Five SQL-injection
    /// attempts in a row (125) cross the default block threshold of 100; an office NAT behind
    /// which twenty people mistype a password every hour (60 points an hour, halved every 30
    /// minutes: at most 80) never does.
    public var defaultWeight: Double {
        switch self {
        case .sqlInjection: 25
        case .graphqlRejection: 10
        case .csrfViolation: 10
        case .originViolation: 5
        case .rateLimit: 2
        case .authFailure: 3
        case .websocketRejection: 3
        }
    }

    /// The sub-kinds the dashboards summarise; others are accepted and shown as sent.
    public var knownSubKinds: [String] {
        switch self {
        case .sqlInjection: ["union", "boolean_blind", "time_blind", "stacked", "comment"]
        case .graphqlRejection: ["complexity", "depth", "field_count", "introspection"]
        default: []
        }
    }
}
