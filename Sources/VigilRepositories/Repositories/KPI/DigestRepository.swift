import Foundation
import PostgresClient
import VigilCore

/// Digest schedules, the ledger of digests sent, and the alert facts a digest reports.
public struct DigestRepository: Sendable {
    public init() {}

    public func schedule(on connection: Transaction) async throws -> String? {
        try await connection.query("SELECT spec FROM digest_schedules").first?.decode("spec", as: PostgresJSON.self).raw
    }

    public func saveSchedule(_ specJSON: String, workspaceID: UUID, on connection: Transaction) async throws {
        try await connection.execute("""
            INSERT INTO digest_schedules (workspace_id, spec) VALUES (\(workspaceID), \(specJSON)::jsonb)
            ON CONFLICT (workspace_id) DO UPDATE SET spec = EXCLUDED.spec, updated_at = now()
            """)
    }

    public func wasSent(uniqueKey: String, on connection: Transaction) async throws -> Bool {
        try await !connection.query("SELECT 1 FROM digests_sent WHERE unique_key = \(uniqueKey)").isEmpty
    }

    /// false when another run recorded the same period first.
    public func recordSent(uniqueKey: String, period: DigestPeriod, channels: Int, workspaceID: UUID, on connection: Transaction) async throws -> Bool {
        try await connection.execute("""
            INSERT INTO digests_sent (workspace_id, unique_key, frequency, first_day, last_day, channels)
            VALUES (\(workspaceID), \(uniqueKey), \(period.frequency), \(period.firstDay.description)::date, \(period.lastDay.description)::date, \(channels))
            ON CONFLICT DO NOTHING
            """) > 0
    }

    public func sent(limit: Int, on connection: Transaction) async throws -> [(key: String, frequency: String, firstDay: String, lastDay: String, sentAt: Date, channels: Int)] {
        try await connection.query("""
            SELECT unique_key, frequency, first_day::text AS first_day, last_day::text AS last_day, sent_at, channels FROM digests_sent
             ORDER BY sent_at DESC LIMIT \(limit)
            """).map { (try $0.decode("unique_key", as: String.self), try $0.decode("frequency", as: String.self),
                        try $0.decode("first_day", as: String.self), try $0.decode("last_day", as: String.self),
                        try $0.decode("sent_at", as: Date.self), try $0.decode("channels", as: Int.self)) }
    }

    /// Alerts opened in [from, to): their times, for counts, MTTA/MTTR and the daily series.
    public func alertsOpened(from: Date, to: Date, on connection: Transaction) async throws -> [(triggeredAt: Date, acknowledgedAt: Date?, resolvedAt: Date?)] {
        try await connection.query("""
            SELECT created_at, acknowledged_at, resolved_at FROM alerts WHERE created_at >= \(from) AND created_at < \(to)
            """).map { (try $0.decode("created_at", as: Date.self), try $0.decode("acknowledged_at", as: Date?.self), try $0.decode("resolved_at", as: Date?.self)) }
    }

    public func resolvedCount(from: Date, to: Date, on connection: Transaction) async throws -> Int {
        try await connection.query("""
            SELECT count(*)::bigint AS n FROM alerts WHERE resolved_at >= \(from) AND resolved_at < \(to)
            """).first!.decode("n", as: Int.self)
    }

    public func openCount(on connection: Transaction) async throws -> Int {
        try await connection.query("SELECT count(*)::bigint AS n FROM alerts WHERE state <> 'resolved'").first!.decode("n", as: Int.self)
    }

    /// The alerts seen most often in [from, to).
    public func noisiest(from: Date, to: Date, limit: Int, on connection: Transaction) async throws -> [(fingerprint: String, title: String, count: Int)] {
        try await connection.query("""
            SELECT fingerprint, max(title) AS title, sum(occurrence_count)::bigint AS n FROM alerts
             WHERE last_seen_at >= \(from) AND created_at < \(to)
             GROUP BY fingerprint ORDER BY n DESC, fingerprint LIMIT \(limit)
            """).map { (try $0.decode("fingerprint", as: String.self), try $0.decode("title", as: String.self), try $0.decode("n", as: Int.self)) }
    }
}
