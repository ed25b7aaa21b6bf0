import Foundation
import VigilCore
import VigilRepositories

/// The unified security picture over a window (`GET …/security?window=` in hours) and its
/// three detail views.
public struct SecurityDashboard: Sendable {
    public var windowHours: Int
    public var generatedAt: Date
    public var counts: SecurityWindowCounts
    public var threatScore: Double
    public var level: SecurityPosture.Level
    public var topSources: [SecuritySourceActivity]
    public var blocked: [BlocklistEntry]
    public var recentDetections: [SecurityDetectionRecord]
    public var recommendations: [SecurityRecommendation]
}

/// The threat view: detections in the window and the highest scores now.
public struct SecurityThreats: Sendable {
    public var windowHours: Int
    public var generatedAt: Date
    public var detections: [SecurityDetectionRecord]
    public var highestScores: [SecurityIPState]
    public var blockedNow: Int
}

/// The SQL-injection or GraphQL view: counts by sub-kind, the busiest sources, recent events.
public struct SecurityKindView: Sendable {
    public var windowHours: Int
    public var generatedAt: Date
    public var counts: SecurityWindowCounts
    public var topSources: [SecuritySourceActivity]
    public var recentEvents: [StoredSecurityEvent]
}

public struct SecurityDashboardService: Sendable {
    let database: Database
    let clock: WallClock
    let events = SecurityEventRepository()
    let detections = SecurityDetectionRepository()
    let addresses = SecurityIPRepository()

    public static let windowHours = 1...720
    public static let defaultWindowHours = 24
    static let topLimit = 10
    static let listLimit = 20

    public init(database: Database, clock: WallClock) {
        self.database = database
        self.clock = clock
    }

    public func dashboard(in workspace: Workspace, windowHours: Int?) async throws -> SecurityDashboard {
        let hours = try Self.hours(windowHours), now = clock.now(), since = now.addingTimeInterval(-Double(hours) * 3600)
        return try await database.inWorkspace(workspace.id) { connection in
            var counts = try await events.counts(since: since, on: connection)
            counts.detections = try await detections.counts(since: since, on: connection)
            counts.blockedNow = try await addresses.blockedCount(at: now, on: connection)
            let score = SecurityPosture.threatScore(counts)
            return SecurityDashboard(windowHours: hours, generatedAt: now, counts: counts, threatScore: score, level: SecurityPosture.level(of: score),
                                     topSources: try await events.topSources(since: since, kinds: nil, limit: Self.topLimit, on: connection),
                                     blocked: try await addresses.blocklist(at: now, limit: Self.listLimit, on: connection),
                                     recentDetections: try await detections.list(since: since, limit: Self.topLimit, on: connection),
                                     recommendations: SecurityPosture.recommendations(counts))
        }
    }

    public func threats(in workspace: Workspace, windowHours: Int?) async throws -> SecurityThreats {
        let hours = try Self.hours(windowHours), now = clock.now(), since = now.addingTimeInterval(-Double(hours) * 3600)
        let halfLife = workspace.settings.security.halfLifeMinutes
        return try await database.inWorkspace(workspace.id) { connection in
            SecurityThreats(windowHours: hours, generatedAt: now,
                            detections: try await detections.list(since: since, limit: 100, on: connection),
                            highestScores: try await addresses.topScores(at: now, halfLifeMinutes: halfLife, limit: Self.listLimit, on: connection)
                                .map { state in var s = state; s.score = s.score.decayed(to: now, halfLifeMinutes: halfLife); return s },
                            blockedNow: try await addresses.blockedCount(at: now, on: connection))
        }
    }

    /// The view of one kind of attack: `sql_injection` (`…/security/sqli`) or
    /// `graphql_rejection` with the CSRF and rate-limit events GraphQL endpoints raise
    /// (`…/security/graphql`).
    public func kindView(_ kinds: [SecurityEventKind], in workspace: Workspace, windowHours: Int?) async throws -> SecurityKindView {
        let hours = try Self.hours(windowHours), now = clock.now(), since = now.addingTimeInterval(-Double(hours) * 3600)
        return try await database.inWorkspace(workspace.id) { connection in
            let all = try await events.counts(since: since, on: connection)
            let counts = SecurityWindowCounts(eventsByKind: all.eventsByKind.filter { kinds.contains($0.key) },
                                              eventsBySubKind: all.eventsBySubKind.filter { kinds.contains($0.key) },
                                              sourcesByKind: all.sourcesByKind.filter { kinds.contains($0.key) })
            var recent: [StoredSecurityEvent] = []
            for kind in kinds {
                recent += try await events.list(SecurityEventFilter(kind: kind, since: since), after: nil, limit: Self.listLimit, on: connection)
            }
            recent.sort { ($0.event.timestamp, $0.id.uuidString) > ($1.event.timestamp, $1.id.uuidString) }
            return SecurityKindView(windowHours: hours, generatedAt: now, counts: counts,
                                    topSources: try await events.topSources(since: since, kinds: kinds, limit: Self.topLimit, on: connection),
                                    recentEvents: Array(recent.prefix(Self.listLimit)))
        }
    }

    /// Events and blocked addresses for `GET …/metrics/security` and the digest.
    public func totals(in workspace: Workspace, since: Date) async throws -> (events: Int, blockedNow: Int, detections: Int) {
        let now = clock.now()
        return try await database.inWorkspace(workspace.id) { connection in
            let counts = try await events.counts(since: since, on: connection)
            return (counts.eventsByKind.values.reduce(0, +), try await addresses.blockedCount(at: now, on: connection),
                    try await detections.counts(since: since, on: connection).values.reduce(0, +))
        }
    }

    static func hours(_ value: Int?) throws -> Int {
        let hours = value ?? defaultWindowHours
        guard windowHours.contains(hours) else {
            throw ServiceError.invalid(field: "window", message: "window must be between 1 and 720 hours")
        }
        return hours
    }
}
