import Foundation
import VigilPrimitives
import PostgresClient
import VigilCore

/// One KPI event as stored.
public struct StoredKPIEvent: Sendable {
    public var stream: String?
    public var value: Double
    public var timestamp: Date
    public var dimensions: [String: String]
    public var dimensionID: String
}

/// One rollup row: a period's merged state for one dimension set.
public struct KPIRollupRow: Sendable {
    public var periodStart: Date
    public var dimensions: [String: String]
    public var dimensionID: String
    public var partial: KPIPartial
}

/// KPI definitions, events, rollups and the dirty marks that late events leave.
public struct KPIRepository: Sendable {
    public init() {}

    /// true when the definition is new.
    public func upsertDefinition(key: String, specJSON: String, workspaceID: UUID, on connection: Transaction) async throws -> Bool {
        try await connection.query("""
            INSERT INTO kpi_definitions (workspace_id, key, spec) VALUES (\(workspaceID), \(key), \(specJSON)::jsonb)
            ON CONFLICT (workspace_id, key) DO UPDATE SET spec = EXCLUDED.spec, updated_at = now()
            RETURNING (xmax = 0) AS inserted
            """).first!.decode("inserted", as: Bool.self)
    }

    public func definitions(on connection: Transaction) async throws -> [(key: String, specJSON: String)] {
        try await connection.query("SELECT key, spec FROM kpi_definitions ORDER BY key").map {
            (try $0.decode("key", as: String.self), try $0.decode("spec", as: PostgresJSON.self).raw)
        }
    }

    public func definition(key: String, on connection: Transaction) async throws -> String? {
        try await connection.query("SELECT spec FROM kpi_definitions WHERE key = \(key)").first?.decode("spec", as: PostgresJSON.self).raw
    }

    public func insertEvents(_ events: [KPIEvent], workspaceID: UUID, on connection: Transaction) async throws {
        guard let key = events.first?.kpiKey else { return }
        let streams = events.map { $0.stream ?? "" }
        let values = events.map { String($0.value) }
        let times = events.map { TimestampText.utc(microsecondsSince1970: $0.timestamp.microsecondsSince1970) }
        let dimensions = events.map { event in
            // try? is safe: a [String: String] always encodes; this is writing, not reading a row.
            String(decoding: (try? JSONEncoder.sortedKeysForKPI.encode(event.dimensions)) ?? Data("{}".utf8), as: UTF8.self)
        }
        let ids = events.map { KPIDimensions.canonicalID($0.dimensions) }
        try await connection.execute("""
            INSERT INTO kpi_events (workspace_id, kpi_key, stream, value, ts, dimensions, dimension_id)
            SELECT \(workspaceID), \(key), NULLIF(s, ''), v::double precision, t::timestamptz, d::jsonb, i
              FROM unnest(\(streams)::text[], \(values)::text[], \(times)::text[], \(dimensions)::text[], \(ids)::text[]) AS e(s, v, t, d, i)
            """)
    }

    public func markDirty(key: String, periods: [LocalPeriod], workspaceID: UUID, on connection: Transaction) async throws {
        for period in periods where period.kind == .day || period.kind == .month {
            try await connection.execute("""
                INSERT INTO kpi_dirty_periods (workspace_id, kpi_key, kind, period_start, period_end)
                VALUES (\(workspaceID), \(key), \(period.kind.rawValue), \(period.start), \(period.end))
                ON CONFLICT (workspace_id, kpi_key, kind, period_start) DO UPDATE SET version = kpi_dirty_periods.version + 1
                """)
        }
    }

    /// Dirty periods of `kind` that had ended by `now`.
    public func closedDirty(kind: KPIPeriod, now: Date, on connection: Transaction) async throws -> [(key: String, start: Date, end: Date, version: Int64)] {
        try await connection.query("""
            SELECT kpi_key, period_start, period_end, version FROM kpi_dirty_periods
             WHERE kind = \(kind.rawValue) AND period_end <= \(now) ORDER BY period_start, kpi_key
            """).map { (try $0.decode("kpi_key", as: String.self), try $0.decode("period_start", as: Date.self), try $0.decode("period_end", as: Date.self),
                        try $0.decode("version", as: Int64.self)) }
    }

    /// Whether any dirty mark of `kind` overlaps [from, to).
    public func isDirty(key: String, kind: KPIPeriod, from: Date, to: Date, on connection: Transaction) async throws -> Bool {
        try await !connection.query("""
            SELECT 1 FROM kpi_dirty_periods WHERE kpi_key = \(key) AND kind = \(kind.rawValue)
               AND period_start < \(to) AND period_end > \(from) LIMIT 1
            """).isEmpty
    }

    public func events(key: String, from: Date, to: Date, on connection: Transaction) async throws -> [StoredKPIEvent] {
        try await connection.query("""
            SELECT stream, value, ts, dimensions, dimension_id FROM kpi_events
             WHERE kpi_key = \(key) AND ts >= \(from) AND ts < \(to) ORDER BY ts
            """).map { row in
            StoredKPIEvent(stream: try row.decode("stream", as: String?.self), value: try row.decode("value", as: Double.self),
                           timestamp: try row.decode("ts", as: Date.self),
                           dimensions: try row.decode("dimensions", as: PostgresJSON.self).decode([String: String].self),
                           dimensionID: try row.decode("dimension_id", as: String.self))
        }
    }

    /// Replaces a period's rollup rows and clears its dirty mark.
    public func replaceRollup(key: String, kind: KPIPeriod, start: Date, end: Date, timeZone: String, dirtyVersion: Int64,
                              rows: [(dimensions: [String: String], dimensionID: String, partial: KPIPartial)], on connection: Transaction) async throws {
        try await connection.execute("DELETE FROM kpi_rollups WHERE kpi_key = \(key) AND kind = \(kind.rawValue) AND period_start = \(start)")
        for row in rows {
            let dims = String(decoding: try JSONEncoder.sortedKeysForKPI.encode(row.dimensions), as: UTF8.self)
            let p = row.partial
            try await connection.execute("""
                INSERT INTO kpi_rollups (workspace_id, kpi_key, kind, period_start, period_end, time_zone, dimension_id, dimensions, count, sum,
                                         last_value, last_at, numerator_sum, denominator_sum)
                VALUES (vigil_current_workspace(), \(key), \(kind.rawValue), \(start), \(end), \(timeZone), \(row.dimensionID), \(dims)::jsonb,
                        \(p.count), \(p.sum), \(p.lastValue), \(p.lastAt), \(p.numeratorSum), \(p.denominatorSum))
                """)
        }
        // Only the mark as read: a newer event bumped the version and keeps the period dirty.
        try await connection.execute("""
            DELETE FROM kpi_dirty_periods WHERE kpi_key = \(key) AND kind = \(kind.rawValue) AND period_start = \(start) AND version = \(dirtyVersion)
            """)
    }

    public func rollups(key: String, kind: KPIPeriod, from: Date, to: Date, on connection: Transaction) async throws -> [KPIRollupRow] {
        try await connection.query("""
            SELECT period_start, dimensions, dimension_id, count, sum, last_value, last_at, numerator_sum, denominator_sum FROM kpi_rollups
             WHERE kpi_key = \(key) AND kind = \(kind.rawValue) AND period_start >= \(from) AND period_start < \(to)
             ORDER BY period_start
            """).map { row in
            KPIRollupRow(periodStart: try row.decode("period_start", as: Date.self),
                         dimensions: try row.decode("dimensions", as: PostgresJSON.self).decode([String: String].self),
                         dimensionID: try row.decode("dimension_id", as: String.self),
                         partial: KPIPartial(count: try row.decode("count", as: Int.self), sum: try row.decode("sum", as: Double.self),
                                             lastValue: try row.decode("last_value", as: Double?.self), lastAt: try row.decode("last_at", as: Date?.self),
                                             numeratorSum: try row.decode("numerator_sum", as: Double.self),
                                             denominatorSum: try row.decode("denominator_sum", as: Double.self)))
        }
    }
}

extension JSONEncoder {
    static var sortedKeysForKPI: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
