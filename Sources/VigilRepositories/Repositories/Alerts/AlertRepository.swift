import Foundation
import PostgresClient
import VigilCore

/// Alerts and their timelines. Changes to an existing alert are compare-and-set on `version`:
/// `update` writes only if nobody changed the row since it was read, so concurrent transitions
/// cannot overwrite each other (the loser re-reads and decides again).
public struct AlertRepository: Sendable {
    public init() {}

    static let columns = """
        id, fingerprint, title, message, severity, source, labels, annotations, state, version, occurrence_count,
        triggered_at, last_seen_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by, escalation_policy_id,
        escalation_policy, escalation_loop, escalation_level, escalation_generation, storm_suppressed, created_at
        """

    /// Inserts a new alert; nil when an open alert with the same fingerprint exists (a concurrent
    /// create won: the caller deduplicates against it instead).
    public func insert(_ alert: AlertRecord, workspaceID: UUID, on connection: Transaction) async throws -> AlertRecord? {
        try await connection.query("""
            INSERT INTO alerts (workspace_id, id, fingerprint, title, message, severity, source, labels, annotations, state,
                                version, occurrence_count, triggered_at, last_seen_at, escalation_policy_id, escalation_policy,
                                escalation_generation, storm_suppressed, created_at)
            VALUES (\(workspaceID), \(alert.id), \(alert.fingerprint), \(alert.title), \(alert.message), \(alert.severity.rawValue),
                    \(alert.source), \(try Self.json(alert.labels))::jsonb, \(try Self.json(alert.annotations))::jsonb,
                    \(alert.state.rawValue), \(alert.version), \(alert.occurrenceCount), \(alert.triggeredAt), \(alert.lastSeenAt),
                    \(alert.escalationPolicyID), \(try alert.escalationPolicy.map(Self.json))::jsonb, \(alert.escalationGeneration),
                    \(alert.stormSuppressed), \(alert.createdAt))
            ON CONFLICT (workspace_id, fingerprint) WHERE state <> 'resolved' DO NOTHING
            RETURNING \(unescaped: Self.columns)
            """).first.map(Self.record)
    }

    /// Writes `alert` over the stored row if its version is still `alert.version`; the stored
    /// version becomes `alert.version + 1`. nil when someone else changed it first.
    public func update(_ alert: AlertRecord, on connection: Transaction) async throws -> AlertRecord? {
        try await connection.query("""
            UPDATE alerts SET
                title = \(alert.title), message = \(alert.message), severity = \(alert.severity.rawValue),
                labels = \(try Self.json(alert.labels))::jsonb, annotations = \(try Self.json(alert.annotations))::jsonb,
                state = \(alert.state.rawValue), version = version + 1, occurrence_count = \(alert.occurrenceCount),
                triggered_at = \(alert.triggeredAt), last_seen_at = \(alert.lastSeenAt),
                acknowledged_at = \(alert.acknowledgedAt), acknowledged_by = \(alert.acknowledgedBy),
                resolved_at = \(alert.resolvedAt), resolved_by = \(alert.resolvedBy),
                escalation_policy_id = \(alert.escalationPolicyID), escalation_policy = \(try alert.escalationPolicy.map(Self.json))::jsonb,
                escalation_loop = \(alert.escalationStep?.loop), escalation_level = \(alert.escalationStep?.level),
                escalation_generation = \(alert.escalationGeneration), storm_suppressed = \(alert.stormSuppressed)
             WHERE id = \(alert.id) AND version = \(alert.version)
            RETURNING \(unescaped: Self.columns)
            """).first.map(Self.record)
    }

    public func find(id: UUID, on connection: Transaction) async throws -> AlertRecord? {
        try await connection.query("SELECT \(unescaped: Self.columns) FROM alerts WHERE id = \(id)").first.map(Self.record)
    }

    /// The open alert with this fingerprint, else the most recently resolved one.
    public func latest(fingerprint: String, on connection: Transaction) async throws -> AlertRecord? {
        try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM alerts WHERE fingerprint = \(fingerprint)
             ORDER BY (state <> 'resolved') DESC, resolved_at DESC NULLS FIRST, created_at DESC LIMIT 1
            """).first.map(Self.record)
    }

    /// Newest first.
    public func list(_ filter: AlertFilter, after cursor: TimeCursor?, limit: Int, on connection: Transaction) async throws -> [AlertRecord] {
        let after = cursor.map { Date(microsecondsSince1970: $0.createdAtMicros) }
        return try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM alerts
             WHERE (\(filter.state?.rawValue)::text IS NULL OR state = \(filter.state?.rawValue))
               AND (\(filter.severity?.rawValue)::text IS NULL OR severity = \(filter.severity?.rawValue))
               AND (\(filter.source)::text IS NULL OR source = \(filter.source))
               AND labels @> \(try Self.json(filter.labels))::jsonb
               AND (\(after)::timestamptz IS NULL OR (created_at, id) < (\(after), \(cursor?.id)))
             ORDER BY created_at DESC, id DESC LIMIT \(limit)
            """).map(Self.record)
    }

    /// The workspace's alert-list version (migration 0029): bumped in the transaction of any
    /// change to one of its alerts; 0 while none changed since the migration.
    public func listVersion(on connection: Transaction) async throws -> Int64 {
        try await connection.query("SELECT coalesce((SELECT version FROM alerts_list_version), 0) AS version")
            .first?.decode("version", as: Int64.self) ?? 0
    }

    /// Open (not resolved) triggered alerts' fingerprints and labels: the candidate sources of inhibition.
    public func triggeredLabels(on connection: Transaction) async throws -> [(fingerprint: String, labels: [String: String])] {
        try await connection.query("SELECT fingerprint, labels FROM alerts WHERE state = 'triggered'").map { row in
            (try row.decode("fingerprint", as: String.self), try row.decode("labels", as: PostgresJSON.self).decode([String: String].self))
        }
    }

    public func appendEvent(_ event: AlertEventRecord, alertID: UUID, workspaceID: UUID, on connection: Transaction) async throws {
        try await connection.execute("""
            INSERT INTO alert_events (workspace_id, alert_id, at, kind, actor, note, from_state, to_state, details)
            VALUES (\(workspaceID), \(alertID), \(event.at), \(event.kind), \(event.actor), \(event.note),
                    \(event.fromState?.rawValue), \(event.toState?.rawValue), \(event.detailsJSON)::jsonb)
            """)
    }

    public func events(alertID: UUID, on connection: Transaction) async throws -> [AlertEventRecord] {
        try await connection.query("""
            SELECT id, at, kind, actor, note, from_state, to_state, details FROM alert_events
             WHERE alert_id = \(alertID) ORDER BY id
            """).map { row in
            AlertEventRecord(id: try row.decode("id", as: Int64.self), at: try row.decode("at", as: Date.self),
                             kind: try row.decode("kind", as: String.self), actor: try row.decode("actor", as: String.self),
                             note: try row.decode("note", as: String?.self),
                             fromState: try row.decode("from_state", as: String?.self).flatMap(AlertState.init(rawValue:)),
                             toState: try row.decode("to_state", as: String?.self).flatMap(AlertState.init(rawValue:)),
                             detailsJSON: try row.decode("details", as: PostgresJSON.self).raw)
        }
    }

    /// Counts one new alert in the workspace's current minute and returns its ordinal in that
    /// minute; `suppressedGroup` (when the storm guard holds it back) is remembered for the summary.
    public func countNewAlert(minute: Int64, workspaceID: UUID, on connection: Transaction) async throws -> Int {
        let ordinal = try await connection.query("""
            INSERT INTO alert_storm_minutes (workspace_id, minute, created) VALUES (\(workspaceID), \(minute), 1)
            ON CONFLICT (workspace_id, minute) DO UPDATE SET created = alert_storm_minutes.created + 1
            RETURNING created
            """).first!.decode("created", as: Int.self)
        // The first alert of a minute clears counters older than a day (only the current
        // minute matters to the storm guard, and its summary runs at the minute's end).
        if ordinal == 1 { try await pruneStormMinutes(before: minute - 1440, on: connection) }
        return ordinal
    }

    public func recordSuppressed(groupKey: String, minute: Int64, on connection: Transaction) async throws {
        try await connection.execute("""
            UPDATE alert_storm_minutes SET suppressed = suppressed + 1, group_keys = array_append(group_keys, \(groupKey))
             WHERE minute = \(minute)
            """)
    }

    /// The minute's suppressed group keys (one per held-back alert), nil if the minute is unknown.
    public func suppressedGroups(minute: Int64, on connection: Transaction) async throws -> [String]? {
        try await connection.query("SELECT group_keys FROM alert_storm_minutes WHERE minute = \(minute)").first?
            .decode("group_keys", as: [String].self)
    }

    /// Drops storm counters older than `minute` (they only matter for the current minute's summary).
    @discardableResult
    public func pruneStormMinutes(before minute: Int64, on connection: Transaction) async throws -> Int {
        try await connection.execute("DELETE FROM alert_storm_minutes WHERE minute < \(minute)")
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func record(_ row: PostgresRow) throws -> AlertRecord {
        let loop = try row.decode("escalation_loop", as: Int?.self)
        let level = try row.decode("escalation_level", as: Int?.self)
        return AlertRecord(
            id: try row.decode("id", as: UUID.self), fingerprint: try row.decode("fingerprint", as: String.self),
            title: try row.decode("title", as: String.self), message: try row.decode("message", as: String.self),
            severity: AlertSeverity(rawValue: try row.decode("severity", as: String.self)) ?? .medium,
            source: try row.decode("source", as: String.self),
            labels: try row.decode("labels", as: PostgresJSON.self).decode([String: String].self),
            annotations: try row.decode("annotations", as: PostgresJSON.self).decode([String: String].self),
            state: AlertState(rawValue: try row.decode("state", as: String.self)) ?? .triggered,
            version: try row.decode("version", as: Int.self), occurrenceCount: try row.decode("occurrence_count", as: Int.self),
            triggeredAt: try row.decode("triggered_at", as: Date.self), lastSeenAt: try row.decode("last_seen_at", as: Date.self),
            acknowledgedAt: try row.decode("acknowledged_at", as: Date?.self), acknowledgedBy: try row.decode("acknowledged_by", as: String?.self),
            resolvedAt: try row.decode("resolved_at", as: Date?.self), resolvedBy: try row.decode("resolved_by", as: String?.self),
            escalationPolicyID: try row.decode("escalation_policy_id", as: UUID?.self),
            escalationPolicy: try row.decode("escalation_policy", as: PostgresJSON?.self).map { try $0.decode(EscalationPolicy.self) },
            escalationStep: loop.flatMap { l in level.map { EscalationStep(loop: l, level: $0) } },
            escalationGeneration: try row.decode("escalation_generation", as: Int.self),
            stormSuppressed: try row.decode("storm_suppressed", as: Bool.self), createdAt: try row.decode("created_at", as: Date.self))
    }
}
