import Foundation

/// Counts of stored security events per source, kind, sub-kind, user and minute: what the
/// attack detectors read (a scan aggregates the last `AttackDetection.window` in SQL).
public struct SecuritySignal: Sendable, Equatable {
    /// The source address as stored (an address, or its pseudonym token).
    public var source: String
    public var kind: SecurityEventKind
    public var subKind: String?
    public var userRef: String?
    public var minute: Date
    public var count: Int

    public init(source: String, kind: SecurityEventKind, subKind: String? = nil, userRef: String? = nil, minute: Date, count: Int) {
        self.source = source; self.kind = kind; self.subKind = subKind; self.userRef = userRef
        self.minute = minute; self.count = count
    }
}

/// The attack patterns a scan looks for.
public enum AttackKind: String, Sendable, CaseIterable, Codable {
    case graphqlComplexityAttack = "graphql_complexity_attack"
    case websocketFlood = "websocket_flood"
    case credentialStuffing = "credential_stuffing"
    case sqlInjectionCampaign = "sql_injection_campaign"

    /// The alert name the reference systems use, so runbooks keep working.
    public var alertName: String {
        switch self {
        case .graphqlComplexityAttack: "GraphQLComplexityAttack"
        case .websocketFlood: "WebSocketConnectionFlood"
        case .credentialStuffing: "CredentialStuffing"
        case .sqlInjectionCampaign: "SQLInjectionCampaign"
        }
    }
}

/// One detected campaign: the sources involved, what was seen, and the points each source's
/// threat score gains.
public struct AttackFinding: Sendable, Equatable {
    public var kind: AttackKind
    /// What the finding is about: a source address, a user reference (many sources on one
    /// account) or a pattern (one pattern from many sources).
    public var subject: String
    public var sources: [String]
    public var evidence: [String: String]
    public var points: Double

    public init(kind: AttackKind, subject: String, sources: [String], evidence: [String: String], points: Double) {
        self.kind = kind; self.subject = subject; self.sources = sources; self.evidence = evidence; self.points = points
    }
}

/// The detectors, pure over signals (the thresholds are the reference systems' alert rules:
/// `GraphQLComplexityAttack` 10 rejections in 5 minutes, `WebSocketConnectionFlood` 20
/// rejections a minute). Each runs over the whole window; the store keeps one finding per kind
/// and subject per window, so overlapping scans do not repeat it.
public enum AttackDetection {
    public static let window: TimeInterval = 15 * 60
    public static let graphqlRejections = 10
    public static let graphqlSpanMinutes = 5
    public static let graphqlReasons: Set<String> = ["complexity", "depth", "field_count"]
    public static let websocketRejectionsPerMinute = 20
    public static let stuffingFailuresFromOneSource = 20
    public static let stuffingUsersFromOneSource = 10
    public static let sprayFailuresOnOneUser = 10
    public static let spraySourcesOnOneUser = 5
    public static let sqlInjectionAttemptsFromOneSource = 5
    public static let sqlInjectionPatternsFromOneSource = 2
    public static let campaignAttemptsOfOnePattern = 20
    public static let campaignSourcesOfOnePattern = 3
    public static let pointsPerFinding: Double = 50
    /// Sources named in one finding's evidence and score boost (the busiest first).
    public static let maxSourcesPerFinding = 100

    public static func detect(_ signals: [SecuritySignal]) -> [AttackFinding] {
        graphql(signals) + websocket(signals) + credentialStuffing(signals) + sqlInjection(signals)
    }

    /// ≥ 10 GraphQL complexity/depth/field-count rejections from one source within 5 minutes.
    static func graphql(_ signals: [SecuritySignal]) -> [AttackFinding] {
        let relevant = signals.filter { $0.kind == .graphqlRejection && graphqlReasons.contains($0.subKind ?? "") }
        return Dictionary(grouping: relevant, by: \.source).compactMap { source, rows in
            let peak = busiestSpan(rows, minutes: graphqlSpanMinutes)
            guard peak >= graphqlRejections else { return nil }
            return AttackFinding(kind: .graphqlComplexityAttack, subject: source, sources: [source],
                                 evidence: ["rejections_in_5_minutes": String(peak), "reasons": reasons(rows)], points: pointsPerFinding)
        }.sorted { $0.subject < $1.subject }
    }

    /// ≥ 20 WebSocket rejections from one source in one minute.
    static func websocket(_ signals: [SecuritySignal]) -> [AttackFinding] {
        let relevant = signals.filter { $0.kind == .websocketRejection }
        return Dictionary(grouping: relevant, by: \.source).compactMap { source, rows in
            let peak = busiestSpan(rows, minutes: 1)
            guard peak >= websocketRejectionsPerMinute else { return nil }
            return AttackFinding(kind: .websocketFlood, subject: source, sources: [source],
                                 evidence: ["rejections_in_1_minute": String(peak)], points: pointsPerFinding)
        }.sorted { $0.subject < $1.subject }
    }

    /// Many failed logins across many accounts from one source (stuffing), or on one account
    /// from many sources (spraying through a botnet).
    static func credentialStuffing(_ signals: [SecuritySignal]) -> [AttackFinding] {
        let failures = signals.filter { $0.kind == .authFailure }
        var findings: [AttackFinding] = []
        for (source, rows) in Dictionary(grouping: failures, by: \.source) {
            let total = rows.reduce(0) { $0 + $1.count }
            let users = Set(rows.compactMap(\.userRef))
            if total >= stuffingFailuresFromOneSource, users.count >= stuffingUsersFromOneSource {
                findings.append(AttackFinding(kind: .credentialStuffing, subject: source, sources: [source],
                                              evidence: ["failures": String(total), "distinct_users": String(users.count)], points: pointsPerFinding))
            }
        }
        for (user, rows) in Dictionary(grouping: failures.filter { $0.userRef != nil }, by: { $0.userRef! }) {
            let total = rows.reduce(0) { $0 + $1.count }
            let sources = busiest(rows)
            if total >= sprayFailuresOnOneUser, sources.count >= spraySourcesOnOneUser {
                findings.append(AttackFinding(kind: .credentialStuffing, subject: "user:" + user, sources: Array(sources.prefix(maxSourcesPerFinding)),
                                              evidence: ["failures": String(total), "distinct_sources": String(sources.count)], points: pointsPerFinding))
            }
        }
        return findings.sorted { $0.subject < $1.subject }
    }

    /// ≥ 5 injection attempts with ≥ 2 patterns from one source, or ≥ 20 attempts of one pattern
    /// from ≥ 3 sources.
    static func sqlInjection(_ signals: [SecuritySignal]) -> [AttackFinding] {
        let attempts = signals.filter { $0.kind == .sqlInjection }
        var findings: [AttackFinding] = []
        for (source, rows) in Dictionary(grouping: attempts, by: \.source) {
            let total = rows.reduce(0) { $0 + $1.count }
            let patterns = Set(rows.compactMap(\.subKind))
            if total >= sqlInjectionAttemptsFromOneSource, patterns.count >= sqlInjectionPatternsFromOneSource {
                findings.append(AttackFinding(kind: .sqlInjectionCampaign, subject: source, sources: [source],
                                              evidence: ["attempts": String(total), "patterns": patterns.sorted().joined(separator: ",")],
                                              points: pointsPerFinding))
            }
        }
        for (pattern, rows) in Dictionary(grouping: attempts.filter { $0.subKind != nil }, by: { $0.subKind! }) {
            let total = rows.reduce(0) { $0 + $1.count }
            let sources = busiest(rows)
            if total >= campaignAttemptsOfOnePattern, sources.count >= campaignSourcesOfOnePattern {
                findings.append(AttackFinding(kind: .sqlInjectionCampaign, subject: "pattern:" + pattern, sources: Array(sources.prefix(maxSourcesPerFinding)),
                                              evidence: ["attempts": String(total), "distinct_sources": String(sources.count)], points: pointsPerFinding))
            }
        }
        return findings.sorted { $0.subject < $1.subject }
    }

    /// The largest count within any `minutes`-minute span of the rows' minutes.
    static func busiestSpan(_ rows: [SecuritySignal], minutes: Int) -> Int {
        var perMinute: [Int64: Int] = [:]
        for row in rows { perMinute[Int64((row.minute.timeIntervalSince1970 / 60).rounded(.down)), default: 0] += row.count }
        return perMinute.keys.map { start in
            (0..<Int64(minutes)).reduce(0) { $0 + (perMinute[start + $1] ?? 0) }
        }.max() ?? 0
    }

    /// Distinct sources, busiest first (ties by name, so the order is stable).
    static func busiest(_ rows: [SecuritySignal]) -> [String] {
        var totals: [String: Int] = [:]
        for row in rows { totals[row.source, default: 0] += row.count }
        return totals.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
    }

    static func reasons(_ rows: [SecuritySignal]) -> String {
        Set(rows.compactMap(\.subKind)).sorted().joined(separator: ",")
    }
}
