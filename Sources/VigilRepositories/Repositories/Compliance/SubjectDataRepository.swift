import Foundation
import VigilPrimitives
import PostgresClient
import VigilCore

/// How a data subject is looked for: strings that may appear anywhere in a value (raw
/// identifiers and their pseudonymised tokens, lowercase), and exact tag/label pairs.
public struct SubjectQuery: Sendable, Equatable {
    public var terms: [String]
    public var pairs: [(key: String, value: String)]

    public init(terms: [String], pairs: [(key: String, value: String)]) {
        self.terms = terms.map { $0.lowercased() }
        self.pairs = pairs
    }

    public static func == (lhs: SubjectQuery, rhs: SubjectQuery) -> Bool {
        lhs.terms == rhs.terms && lhs.pairs.map(\.key) == rhs.pairs.map(\.key) && lhs.pairs.map(\.value) == rhs.pairs.map(\.value)
    }

    var keys: [String] { pairs.map(\.key) }
    var values: [String] { pairs.map(\.value) }
}

/// Finding (and erasing) a data subject's rows in the current workspace's tables. Every query
/// runs inside `Database.inWorkspace`, so row-level security confines it to one tenant.
public struct SubjectDataRepository: Sendable {
    public init() {}

    // MARK: Metrics: series whose tags mention the subject, and their points and rollups.

    public func matchingSeries(_ q: SubjectQuery, on connection: Transaction) async throws -> [(id: Int64, name: String, tagsJSON: String)] {
        try await connection.query("""
            SELECT series_id, name, tags FROM metric_series s
             WHERE EXISTS (SELECT 1 FROM jsonb_each_text(s.tags) t, unnest(\(q.terms)::text[]) term
                            WHERE strpos(lower(t.value), term) > 0)
                OR EXISTS (SELECT 1 FROM unnest(\(q.keys)::text[], \(q.values)::text[]) AS c(k, v) WHERE s.tags ->> c.k = c.v)
             ORDER BY series_id
            """).map { (try $0.decode("series_id", as: Int64.self), try $0.decode("name", as: String.self),
                        try $0.decode("tags", as: PostgresJSON.self).raw) }
    }

    public func countPoints(series: [Int64], on connection: Transaction) async throws -> Int {
        try await connection.query("""
            SELECT count(*)::bigint AS n FROM metric_points WHERE series_id = ANY(\(series.map(String.init))::bigint[])
            """).first!.decode("n", as: Int.self)
    }

    public func points(series: [Int64], limit: Int, on connection: Transaction) async throws -> [(series: Int64, ts: Date, value: Double)] {
        try await connection.query("""
            SELECT series_id, ts, value FROM metric_points WHERE series_id = ANY(\(series.map(String.init))::bigint[])
             ORDER BY series_id, ts LIMIT \(limit)
            """).map { (try $0.decode("series_id", as: Int64.self), try $0.decode("ts", as: Date.self), try $0.decode("value", as: Double.self)) }
    }

    public func countRollups(series: [Int64], on connection: Transaction) async throws -> Int {
        try await connection.query("""
            SELECT count(*)::bigint AS n FROM metric_rollups WHERE series_id = ANY(\(series.map(String.init))::bigint[])
            """).first!.decode("n", as: Int.self)
    }

    public func rollups(series: [Int64], limit: Int, on connection: Transaction) async throws -> [[String: String]] {
        try await connection.query("""
            SELECT series_id, resolution, bucket, count, sum, min, max FROM metric_rollups
             WHERE series_id = ANY(\(series.map(String.init))::bigint[]) ORDER BY series_id, resolution, bucket LIMIT \(limit)
            """).map { row in
            ["series_id": String(try row.decode("series_id", as: Int64.self)), "resolution": String(try row.decode("resolution", as: Int.self)),
             "bucket": TimestampText.utc(microsecondsSince1970: try row.decode("bucket", as: Date.self).microsecondsSince1970),
             "count": String(try row.decode("count", as: Int64.self)), "sum": String(try row.decode("sum", as: Double.self)),
             "min": String(try row.decode("min", as: Double.self)), "max": String(try row.decode("max", as: Double.self))]
        }
    }

    /// Deletes the series with their points and rollups; returns (points, rollups, series) removed.
    public func deleteSeries(_ series: [Int64], on connection: Transaction) async throws -> (points: Int, rollups: Int, series: Int) {
        let ids = series.map(String.init)
        let points = try await connection.execute("DELETE FROM metric_points WHERE series_id = ANY(\(ids)::bigint[])")
        let rollups = try await connection.execute("DELETE FROM metric_rollups WHERE series_id = ANY(\(ids)::bigint[])")
        let removed = try await connection.execute("DELETE FROM metric_series WHERE series_id = ANY(\(ids)::bigint[])")
        return (points, rollups, removed)
    }

    // MARK: Alerts, their timelines, the notification ledger.

    public func matchingAlerts(_ q: SubjectQuery, on connection: Transaction) async throws -> [AlertRecord] {
        try await connection.query("""
            SELECT \(unescaped: AlertRepository.columns) FROM alerts a
             WHERE EXISTS (SELECT 1 FROM unnest(\(q.terms)::text[]) term
                            WHERE strpos(lower(a.title || ' ' || a.message || ' ' || a.fingerprint || ' ' || a.labels::text || ' ' || a.annotations::text),
                                         term) > 0)
                OR EXISTS (SELECT 1 FROM unnest(\(q.keys)::text[], \(q.values)::text[]) AS c(k, v)
                            WHERE a.labels ->> c.k = c.v OR a.annotations ->> c.k = c.v)
             ORDER BY created_at, id
            """).map(AlertRepository.record)
    }

    /// Rewrites an alert's texts (erasure), bumping its version. The fingerprint is a client's
    /// dedup key as sent when it gave one, so it is rewritten too.
    public func rewriteAlert(id: UUID, fingerprint: String, title: String, message: String, labels: [String: String],
                             annotations: [String: String], on connection: Transaction) async throws {
        try await connection.execute("""
            UPDATE alerts SET fingerprint = \(fingerprint), title = \(title), message = \(message), labels = \(try AlertRepository.json(labels))::jsonb,
                   annotations = \(try AlertRepository.json(annotations))::jsonb, version = version + 1
             WHERE id = \(id)
            """)
    }

    public func matchingAlertEvents(_ q: SubjectQuery, on connection: Transaction) async throws -> [(id: Int64, alertID: UUID, event: AlertEventRecord)] {
        try await connection.query("""
            SELECT id, alert_id, at, kind, actor, note, from_state, to_state, details FROM alert_events e
             WHERE EXISTS (SELECT 1 FROM unnest(\(q.terms)::text[]) term
                            WHERE strpos(lower(coalesce(e.note, '') || ' ' || e.details::text), term) > 0)
             ORDER BY id
            """).map { row in
            (try row.decode("id", as: Int64.self), try row.decode("alert_id", as: UUID.self),
             AlertEventRecord(id: try row.decode("id", as: Int64.self), at: try row.decode("at", as: Date.self), kind: try row.decode("kind", as: String.self),
                              actor: try row.decode("actor", as: String.self), note: try row.decode("note", as: String?.self),
                              fromState: try row.decode("from_state", as: String?.self).flatMap(AlertState.init(rawValue:)),
                              toState: try row.decode("to_state", as: String?.self).flatMap(AlertState.init(rawValue:)),
                              detailsJSON: try row.decode("details", as: PostgresJSON.self).raw))
        }
    }

    public func rewriteAlertEvent(id: Int64, note: String?, detailsJSON: String, on connection: Transaction) async throws {
        try await connection.execute("UPDATE alert_events SET note = \(note), details = \(detailsJSON)::jsonb WHERE id = \(id)")
    }

    /// Ledger rows about the given alerts, or whose error text mentions the subject.
    public func matchingNotifications(alertIDs: [UUID], _ q: SubjectQuery, on connection: Transaction) async throws -> [NotificationRecord] {
        try await connection.query("""
            SELECT \(unescaped: NotificationLedgerRepository.columns) FROM notifications n
             WHERE n.alert_id = ANY(\(alertIDs.map { $0.uuidString.lowercased() })::uuid[])
                OR EXISTS (SELECT 1 FROM unnest(\(q.terms)::text[]) term WHERE strpos(lower(coalesce(n.error, '')), term) > 0)
             ORDER BY id
            """).map(NotificationLedgerRepository.record)
    }

    public func rewriteNotificationError(id: Int64, error: String?, on connection: Transaction) async throws {
        try await connection.execute("UPDATE notifications SET error = \(error) WHERE id = \(id)")
    }

    // MARK: Security events: the subject as source address, account, or in any text.

    /// Events whose address, account, user agent, endpoint, correlation id or details contain a
    /// term (oldest first, at most `limit`).
    public func matchingSecurityEvents(_ q: SubjectQuery, limit: Int, on connection: Transaction) async throws -> [StoredSecurityEvent] {
        try await connection.query("""
            SELECT \(unescaped: SecurityEventRepository.columns) FROM security_events e
             WHERE EXISTS (SELECT 1 FROM unnest(\(q.terms)::text[]) term
                            WHERE strpos(lower(concat_ws(' ', e.source_ip, e.user_ref, e.user_agent, e.endpoint, e.correlation_id, e.details::text)),
                                         term) > 0)
             ORDER BY ts, id LIMIT \(limit)
            """).map(SecurityEventRepository.event)
    }

    public func deleteSecurityEvents(_ events: [StoredSecurityEvent], on connection: Transaction) async throws -> Int {
        guard !events.isEmpty else { return 0 }
        let times = events.map { TimestampText.utc(microsecondsSince1970: $0.event.timestamp.microsecondsSince1970) }
        return try await connection.execute("""
            DELETE FROM security_events e USING unnest(\(times)::text[], \(events.map { $0.id.uuidString })::text[]) AS d(t, i)
             WHERE e.ts = d.t::timestamptz AND e.id = d.i::uuid
            """)
    }
}
