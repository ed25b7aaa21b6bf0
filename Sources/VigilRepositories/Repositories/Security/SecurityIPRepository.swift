import Foundation
import PostgresClient
import VigilCore
import VigilPrimitives

/// Per-address threat state, blocks and the block log, RLS-scoped to the workspace.
public struct SecurityIPRepository: Sendable {
    public init() {}

    static let columns = """
        abbrev(network) AS network, source_key, score, score_at, events, last_event_at, blocked_until, block_source, block_reason,
        blocked_at, exempt_until, updated_at
        """

    /// Points to add to one address.
    public struct Points: Sendable {
        public var network: String
        public var sourceKey: String
        public var points: Double
        public var events: Int
        /// Nil for points that come from a detection rather than from events.
        public var lastEventAt: Date?

        public init(network: String, sourceKey: String, points: Double, events: Int, lastEventAt: Date?) {
            self.network = network; self.sourceKey = sourceKey; self.points = points; self.events = events; self.lastEventAt = lastEventAt
        }
    }

    /// Adds points to the addresses' scores in one statement (creating missing states): the
    /// stored score is decayed to `now` as `ThreatScore.adding` does and the points added, in
    /// place, so concurrent batches naming one address add up and hold its row lock only for
    /// this statement and the commit. Rows are met in network order (no deadlock between two
    /// batches). Returns the states after the addition.
    public func addPoints(_ points: [Points], halfLifeMinutes: Int, at now: Date, on connection: Transaction) async throws -> [SecurityIPState] {
        guard !points.isEmpty else { return [] }
        func time(_ date: Date?) -> String { date.map { TimestampText.utc(microsecondsSince1970: $0.microsecondsSince1970) } ?? "" }
        return try await connection.query("""
            INSERT INTO security_ips AS s (workspace_id, network, source_key, score, score_at, events, last_event_at, updated_at)
            SELECT vigil_current_workspace(), n::inet, k, p::double precision, \(now), e::bigint, NULLIF(l, '')::timestamptz, \(now)
              FROM unnest(\(points.map(\.network))::text[], \(points.map(\.sourceKey))::text[], \(points.map { String(max(0, $0.points)) })::text[],
                          \(points.map { String($0.events) })::text[], \(points.map { time($0.lastEventAt) })::text[]) AS x(n, k, p, e, l)
             ORDER BY n::inet
            ON CONFLICT (workspace_id, network) DO UPDATE
               SET score = CASE WHEN \(now) > s.score_at
                                THEN s.score * power(0.5, extract(epoch FROM \(now) - s.score_at) / (\(halfLifeMinutes) * 60.0))
                                ELSE s.score END + excluded.score,
                   score_at = greatest(s.score_at, excluded.score_at), events = s.events + excluded.events,
                   last_event_at = greatest(s.last_event_at, excluded.last_event_at), source_key = excluded.source_key,
                   updated_at = excluded.updated_at
            RETURNING \(unescaped: Self.columns)
            """).map(Self.state)
    }

    /// Sets automatic blocks (replacing expired ones) on addresses the caller has just scored.
    public func setAutomaticBlocks(_ blocks: [(network: String, block: BlockState)], at now: Date, on connection: Transaction) async throws {
        for (network, block) in blocks {
            try await connection.execute("""
                UPDATE security_ips SET blocked_until = \(block.until), block_source = 'automatic', block_reason = \(block.reason),
                       blocked_at = \(now), updated_at = \(now)
                 WHERE network = \(network)::inet
                """)
        }
    }

    /// Blocks `network` (creating its row) until `until`, replacing any block in force.
    public func block(_ network: String, until: Date, source: BlockState.Source, reason: String, at now: Date,
                      on connection: Transaction) async throws -> SecurityIPState {
        let rows = try await connection.query("""
            INSERT INTO security_ips (workspace_id, network, source_key, score, score_at, blocked_until, block_source, block_reason,
                                      blocked_at, updated_at)
            VALUES (vigil_current_workspace(), \(network)::inet, \(network), 0, \(now), \(until), \(source.rawValue), \(reason), \(now), \(now))
            ON CONFLICT (workspace_id, network) DO UPDATE
               SET blocked_until = excluded.blocked_until, block_source = excluded.block_source, block_reason = excluded.block_reason,
                   blocked_at = excluded.blocked_at, exempt_until = NULL, updated_at = excluded.updated_at
            RETURNING \(unescaped: Self.columns)
            """)
        return try Self.state(rows[0])
    }

    /// Lifts the block of `network`; `exemptUntil` keeps it from being blocked automatically
    /// again before then. Nil when nothing is stored for the network.
    public func unblock(_ network: String, exemptUntil: Date?, at now: Date, on connection: Transaction) async throws -> SecurityIPState? {
        try await connection.query("""
            UPDATE security_ips SET blocked_until = NULL, block_source = NULL, block_reason = NULL, blocked_at = NULL,
                   exempt_until = \(exemptUntil), updated_at = \(now)
             WHERE network = \(network)::inet
            RETURNING \(unescaped: Self.columns)
            """).first.map(Self.state)
    }

    public func find(_ network: String, on connection: Transaction) async throws -> SecurityIPState? {
        try await connection.query("SELECT \(unescaped: Self.columns) FROM security_ips WHERE network = \(network)::inet").first.map(Self.state)
    }

    public func find(sourceKeys: [String], on connection: Transaction) async throws -> [SecurityIPState] {
        try await connection.query("SELECT \(unescaped: Self.columns) FROM security_ips WHERE source_key = ANY(\(sourceKeys)::text[])").map(Self.state)
    }

    /// The blocks networks containing `address` (a CIDR block may cover it).
    public func covering(_ address: String, at now: Date, on connection: Transaction) async throws -> [SecurityIPState] {
        try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM security_ips
             WHERE network >>= \(address)::inet AND blocked_until > \(now) ORDER BY masklen(network)
            """).map(Self.state)
    }

    /// Blocks in force at `now`, in network order.
    public func blocklist(at now: Date, limit: Int, on connection: Transaction) async throws -> [BlocklistEntry] {
        try await connection.query("""
            SELECT abbrev(network) AS network, blocked_until, block_source, block_reason FROM security_ips
             WHERE blocked_until > \(now) ORDER BY family(network), network LIMIT \(limit)
            """).map { row in
            BlocklistEntry(network: try row.decode("network", as: String.self), until: try row.decode("blocked_until", as: Date.self),
                           source: BlockState.Source(rawValue: try row.decode("block_source", as: String?.self) ?? "") ?? .manual,
                           reason: try row.decode("block_reason", as: String?.self) ?? "")
        }
    }

    /// The SHA-256 (hex) of the blocklist at `now` in its text form (exactly the bytes
    /// `Blocklist.text` writes: one network and a newline per entry, in the list's order) and of
    /// its entries (network, expiry in microseconds, source, reason a line). Computed in one
    /// statement, so an edge polling with `If-None-Match` costs one small row, not the list.
    public func blocklistDigests(at now: Date, limit: Int, on connection: Transaction) async throws -> BlocklistDigests {
        let row = try await connection.query("""
            WITH b AS (
                SELECT abbrev(network) AS n, network, blocked_until, block_source, block_reason FROM security_ips
                 WHERE blocked_until > \(now) ORDER BY family(network), network LIMIT \(limit))
            SELECT min(blocked_until) AS next_expiry,
                   encode(sha256(convert_to(coalesce(string_agg(n || E'\\n', '' ORDER BY family(network), network), ''), 'UTF8')), 'hex') AS text_digest,
                   encode(sha256(convert_to(coalesce(string_agg(
                       n || ' ' || (extract(epoch FROM blocked_until) * 1000000)::bigint || ' ' || coalesce(block_source, '') || ' '
                         || coalesce(block_reason, ''), E'\\n' ORDER BY family(network), network), ''), 'UTF8')), 'hex') AS entries_digest
              FROM b
            """)
        return BlocklistDigests(text: try row[0].decode("text_digest", as: String.self), entries: try row[0].decode("entries_digest", as: String.self),
                                nextExpiry: try row[0].decode("next_expiry", as: Date?.self))
    }

    public func blockedCount(at now: Date, on connection: Transaction) async throws -> Int {
        try await connection.query("SELECT count(*) AS n FROM security_ips WHERE blocked_until > \(now)").first?.decode("n", as: Int.self) ?? 0
    }

    /// Highest current scores (decayed to `now` with the half-life).
    public func topScores(at now: Date, halfLifeMinutes: Int, limit: Int, on connection: Transaction) async throws -> [SecurityIPState] {
        try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM security_ips
             ORDER BY score * power(0.5, greatest(0, extract(epoch FROM \(now) - score_at)) / (\(halfLifeMinutes) * 60.0)) DESC, network
             LIMIT \(limit)
            """).map(Self.state)
    }

    /// Forgets addresses whose score has decayed below `floor` and that no block or exemption
    /// holds: the table holds what is live, not every address ever seen.
    @discardableResult
    public func pruneDecayed(at now: Date, halfLifeMinutes: Int, floor: Double, on connection: Transaction) async throws -> Int {
        try await connection.execute("""
            DELETE FROM security_ips
             WHERE score * power(0.5, greatest(0, extract(epoch FROM \(now) - score_at)) / (\(halfLifeMinutes) * 60.0)) < \(floor)
               AND (blocked_until IS NULL OR blocked_until <= \(now)) AND (exempt_until IS NULL OR exempt_until <= \(now))
            """)
    }

    public func log(_ entry: SecurityBlockLogEntry, on connection: Transaction) async throws {
        try await connection.execute("""
            INSERT INTO security_block_log (workspace_id, id, network, action, source, reason, until, actor, at)
            VALUES (vigil_current_workspace(), \(entry.id), \(entry.network)::inet, \(entry.action.rawValue), \(entry.source.rawValue),
                    \(entry.reason), \(entry.until), \(entry.actor), \(entry.at))
            """)
    }

    public func history(_ network: String, limit: Int, on connection: Transaction) async throws -> [SecurityBlockLogEntry] {
        try await connection.query("""
            SELECT id, abbrev(network) AS network, action, source, reason, until, actor, at FROM security_block_log
             WHERE network = \(network)::inet ORDER BY at DESC, id DESC LIMIT \(limit)
            """).map { row in
            SecurityBlockLogEntry(id: try row.decode("id", as: UUID.self), network: try row.decode("network", as: String.self),
                                  action: SecurityBlockLogEntry.Action(rawValue: try row.decode("action", as: String.self)) ?? .block,
                                  source: BlockState.Source(rawValue: try row.decode("source", as: String.self)) ?? .manual,
                                  reason: try row.decode("reason", as: String.self), until: try row.decode("until", as: Date?.self),
                                  actor: try row.decode("actor", as: String.self), at: try row.decode("at", as: Date.self))
        }
    }

    static func state(_ row: PostgresRow) throws -> SecurityIPState {
        let until = try row.decode("blocked_until", as: Date?.self)
        let block = until.map { BlockState(until: $0, source: BlockState.Source(rawValue: (try? row.decode("block_source", as: String?.self)) ?? "" ) ?? .manual,
                                           reason: ((try? row.decode("block_reason", as: String?.self)) ?? nil) ?? "") }
        return SecurityIPState(network: try row.decode("network", as: String.self), sourceKey: try row.decode("source_key", as: String.self),
                               score: ThreatScore(value: try row.decode("score", as: Double.self), asOf: try row.decode("score_at", as: Date.self)),
                               events: try row.decode("events", as: Int.self), lastEventAt: try row.decode("last_event_at", as: Date?.self),
                               block: block, blockedAt: try row.decode("blocked_at", as: Date?.self),
                               exemptUntil: try row.decode("exempt_until", as: Date?.self), updatedAt: try row.decode("updated_at", as: Date.self))
    }
}
