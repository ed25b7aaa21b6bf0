import Foundation
import PostgresClient
import VigilCore
import VigilPrimitives

/// Security events (append-only, daily partitions) and what the dashboards and detectors read
/// from them, RLS-scoped to the workspace.
public struct SecurityEventRepository: Sendable {
    public init() {}

    static let columns = "id, ts, received_at, kind, sub_kind, source_ip, user_agent, endpoint, user_ref, correlation_id, details"
    /// The most per-minute groups a scan reads: a workspace flooding random sources and users
    /// makes its own scan coarser, never unbounded.
    public static let maxSignalRows = 50_000

    /// Stores the events (already redacted) in one statement; optional texts travel as "" (the
    /// rules refuse empty values) and are stored as NULL.
    public func insert(_ events: [StoredSecurityEvent], workspaceID: UUID, on connection: Transaction) async throws {
        guard !events.isEmpty else { return }
        func text(_ pick: (SecurityEvent) -> String?) -> [String] { events.map { pick($0.event) ?? "" } }
        let ids = events.map { $0.id.uuidString }
        let times = events.map { TimestampText.utc(microsecondsSince1970: $0.event.timestamp.microsecondsSince1970) }
        let received = events.map { TimestampText.utc(microsecondsSince1970: $0.receivedAt.microsecondsSince1970) }
        let kinds = events.map { $0.event.kind.rawValue }
        let details = events.map { CanonicalJSON.object($0.event.details.mapValues { .string($0) }).text }
        try await connection.execute("""
            INSERT INTO security_events (workspace_id, id, ts, received_at, kind, sub_kind, source_ip, user_agent, endpoint, user_ref, correlation_id, details)
            SELECT \(workspaceID), i::uuid, t::timestamptz, r::timestamptz, k, NULLIF(s, ''), NULLIF(ip, ''), NULLIF(ua, ''), NULLIF(ep, ''),
                   NULLIF(u, ''), NULLIF(c, ''), d::jsonb
              FROM unnest(\(ids)::text[], \(times)::text[], \(received)::text[], \(kinds)::text[], \(text(\.subKind))::text[],
                          \(text(\.sourceIP))::text[], \(text(\.userAgent))::text[], \(text(\.endpoint))::text[], \(text(\.userRef))::text[],
                          \(text(\.correlationID))::text[], \(details)::text[]) AS e(i, t, r, k, s, ip, ua, ep, u, c, d)
            """)
    }

    /// Marks the workspace as having recent events (the scan's fan-out reads this).
    public func touchActivity(at now: Date, workspaceID: UUID, on connection: Transaction) async throws {
        try await connection.execute("""
            INSERT INTO security_activity (workspace_id, last_event_at) VALUES (\(workspaceID), \(now))
            ON CONFLICT (workspace_id) DO UPDATE SET last_event_at = greatest(security_activity.last_event_at, excluded.last_event_at)
            """)
    }

    public func workspacesWithActivity(since: Date, on connection: Transaction) async throws -> [UUID] {
        try await connection.query("SELECT w AS id FROM vigil_workspaces_with_security_activity(\(since)) AS w").map { try $0.decode("id", as: UUID.self) }
    }

    /// Newest first.
    public func list(_ filter: SecurityEventFilter, after cursor: TimeCursor?, limit: Int, on connection: Transaction) async throws -> [StoredSecurityEvent] {
        let after = cursor.map { Date(microsecondsSince1970: $0.createdAtMicros) }
        return try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM security_events
             WHERE (\(filter.kind?.rawValue)::text IS NULL OR kind = \(filter.kind?.rawValue))
               AND (\(filter.subKind)::text IS NULL OR sub_kind = \(filter.subKind))
               AND (\(filter.sourceIP)::text IS NULL OR source_ip = \(filter.sourceIP))
               AND (\(filter.since)::timestamptz IS NULL OR ts >= \(filter.since))
               AND (\(filter.until)::timestamptz IS NULL OR ts < \(filter.until))
               AND (\(after)::timestamptz IS NULL OR (ts, id) < (\(after), \(cursor?.id)))
             ORDER BY ts DESC, id DESC LIMIT \(limit)
            """).map(Self.event)
    }

    public func count(from start: Date, to end: Date, on connection: Transaction) async throws -> Int {
        try await connection.query("SELECT count(*) AS n FROM security_events WHERE ts >= \(start) AND ts < \(end)").first?.decode("n", as: Int.self) ?? 0
    }

    /// Events per source, kind, sub-kind, user and minute since `since`: the detectors' input.
    public func signals(since: Date, on connection: Transaction) async throws -> [SecuritySignal] {
        try await connection.query("""
            SELECT source_ip, kind, sub_kind, user_ref, date_trunc('minute', ts) AS minute, count(*) AS n
              FROM security_events
             WHERE ts >= \(since) AND source_ip IS NOT NULL
             GROUP BY 1, 2, 3, 4, 5
             LIMIT \(Self.maxSignalRows)
            """).compactMap { row in
            guard let kind = SecurityEventKind(rawValue: try row.decode("kind", as: String.self)) else { return nil }
            return SecuritySignal(source: try row.decode("source_ip", as: String.self), kind: kind,
                                  subKind: try row.decode("sub_kind", as: String?.self), userRef: try row.decode("user_ref", as: String?.self),
                                  minute: try row.decode("minute", as: Date.self), count: try row.decode("n", as: Int.self))
        }
    }

    /// Events per kind and sub-kind, and distinct sources per kind, since `since`.
    public func counts(since: Date, on connection: Transaction) async throws -> SecurityWindowCounts {
        var counts = SecurityWindowCounts()
        for row in try await connection.query("""
            SELECT kind, sub_kind, count(*) AS n FROM security_events WHERE ts >= \(since) GROUP BY kind, sub_kind
            """) {
            guard let kind = SecurityEventKind(rawValue: try row.decode("kind", as: String.self)) else { continue }
            let n = try row.decode("n", as: Int.self)
            counts.eventsByKind[kind, default: 0] += n
            if let sub = try row.decode("sub_kind", as: String?.self) { counts.eventsBySubKind[kind, default: [:]][sub, default: 0] += n }
        }
        for row in try await connection.query("""
            SELECT kind, count(DISTINCT source_ip) AS n FROM security_events WHERE ts >= \(since) GROUP BY kind
            """) {
            guard let kind = SecurityEventKind(rawValue: try row.decode("kind", as: String.self)) else { continue }
            counts.sourcesByKind[kind] = try row.decode("n", as: Int.self)
        }
        return counts
    }

    /// The busiest sources since `since` (of `kinds`, or all), with their events per kind.
    public func topSources(since: Date, kinds: [SecurityEventKind]?, limit: Int, on connection: Transaction) async throws -> [SecuritySourceActivity] {
        let names = kinds?.map(\.rawValue)
        var bySource: [String: SecuritySourceActivity] = [:]
        var order: [String] = []
        for row in try await connection.query("""
            WITH top AS (
                SELECT source_ip, count(*) AS total FROM security_events
                 WHERE ts >= \(since) AND source_ip IS NOT NULL AND (\(names)::text[] IS NULL OR kind = ANY(\(names)::text[]))
                 GROUP BY source_ip ORDER BY total DESC, source_ip LIMIT \(limit))
            SELECT t.source_ip, t.total, e.kind, count(*) AS n
              FROM top t JOIN security_events e ON e.source_ip = t.source_ip AND e.ts >= \(since)
                   AND (\(names)::text[] IS NULL OR e.kind = ANY(\(names)::text[]))
             GROUP BY t.source_ip, t.total, e.kind ORDER BY t.total DESC, t.source_ip
            """) {
            let source = try row.decode("source_ip", as: String.self)
            if bySource[source] == nil {
                order.append(source)
                bySource[source] = SecuritySourceActivity(source: source, events: try row.decode("total", as: Int.self), kinds: [:])
            }
            if let kind = SecurityEventKind(rawValue: try row.decode("kind", as: String.self)) {
                bySource[source]?.kinds[kind] = try row.decode("n", as: Int.self)
            }
        }
        return order.compactMap { bySource[$0] }
    }

    static func event(_ row: PostgresRow) throws -> StoredSecurityEvent {
        let detailsJSON = try row.decode("details", as: PostgresJSON.self).raw
        let details = (try? JSONDecoder().decode([String: String].self, from: Data(detailsJSON.utf8))) ?? [:]
        let event = SecurityEvent(kind: SecurityEventKind(rawValue: try row.decode("kind", as: String.self)) ?? .rateLimit,
                                  subKind: try row.decode("sub_kind", as: String?.self), sourceIP: try row.decode("source_ip", as: String?.self),
                                  userAgent: try row.decode("user_agent", as: String?.self), endpoint: try row.decode("endpoint", as: String?.self),
                                  userRef: try row.decode("user_ref", as: String?.self), correlationID: try row.decode("correlation_id", as: String?.self),
                                  timestamp: try row.decode("ts", as: Date.self), details: details)
        return StoredSecurityEvent(id: try row.decode("id", as: UUID.self), event: event, receivedAt: try row.decode("received_at", as: Date.self))
    }
}
