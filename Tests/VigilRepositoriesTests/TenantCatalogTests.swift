import Foundation
import PostgresClient
import Testing
import VigilTestFixtures

/// The schema's tenancy rules, read from pg_catalog of a freshly migrated database (issue 14,
/// item 8; docs/scaling.md). A tenant table is any table in the schema with a `workspace_id`
/// column: partitions are left out (their parent is checked), parents of partitioned tables
/// are in. Every tenant table must
///
/// - have row-level security enabled and forced (rule `row_security`);
/// - have a primary key (`primary_key`; a partitioned table may go without one only if it has
///   no unique constraint at all), and its primary key, unique constraints, unique indexes
///   (partial ones too) and exclusion constraints lead with `workspace_id` (`unique_key`):
///   what row-level security needs to stay cheap, and what Citus needs to distribute the table
///   by `workspace_id`;
/// - reference another tenant table only through a foreign key that pairs its own
///   `workspace_id` with the referenced table's `workspace_id` (`foreign_key`), so no
///   reference can cross tenants (or shards). A foreign key to `workspaces (id)`, the tenant
///   root, is fine: `workspaces` has no `workspace_id` column.
///
/// A table that cannot comply is listed in `exceptions` with the reason; any other finding
/// fails the test, and so does an exception that no longer matches a finding.
struct TenantCatalogTests {
    struct Finding: Hashable, Sendable, CustomStringConvertible {
        let table: String
        let rule: String
        let detail: String
        var description: String { "\(table) [\(rule)]: \(detail)" }
    }

    struct KnownException: Sendable {
        let table: String
        let rule: String
        let reason: String
    }

    /// Known, deliberate departures from the rules in the current schema. Migrations are
    /// immutable, so each is either fixed by a later migration (then removed here: the test
    /// fails while a stale entry stays) or explained.
    static let exceptions: [KnownException] = [
        // Migration 0005: partial rollup rows, one per ingest batch, series, resolution and
        // bucket, several per key by design until rollups.compact merges them (DELETE + INSERT);
        // there is no natural key, and a surrogate key would rewrite the table. Lookups use
        // metric_rollups_lookup, which leads with workspace_id. No unique index exists.
        KnownException(table: "metric_rollups", rule: "primary_key",
                  reason: "partial rows by design, no natural key (0005)"),
        // Migration 0009: raw KPI events; two identical events are two events, so no column set
        // is unique and there is no id. kpi_events_by_time leads with workspace_id.
        KnownException(table: "kpi_events", rule: "primary_key",
                  reason: "raw events, duplicates are legitimate, no id column (0009)"),
    ]

    /// The tenant tables of `schema`, by name.
    static func tenantTables(in schema: String, on connection: PostgresConnection) async throws -> [String] {
        let rows = try await connection.query("""
            SELECT c.relname::text AS table_name
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped
             WHERE n.nspname = \(schema) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
            """)
        return try rows.map { try $0.decode("table_name", as: String.self) }.sorted()
    }

    /// Every breach of the rules above among the tenant tables of `schema`.
    static func findings(in schema: String, on connection: PostgresConnection) async throws -> [Finding] {
        let rows = try await connection.query("""
            WITH tenant AS (
                SELECT c.oid, c.relname::text AS relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity, a.attnum AS ws
                  FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped
                 WHERE n.nspname = \(schema) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
            )
            SELECT t.relname AS table_name, 'row_security' AS rule,
                   CASE WHEN NOT t.relrowsecurity THEN 'row-level security is not enabled'
                        ELSE 'row-level security is enabled but not forced' END AS detail
              FROM tenant t
             WHERE NOT (t.relrowsecurity AND t.relforcerowsecurity)
            UNION ALL
            SELECT t.relname, 'primary_key',
                   CASE WHEN t.relkind = 'p' THEN 'partitioned with a unique constraint but no primary key'
                        ELSE 'no primary key' END
              FROM tenant t
             WHERE NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = t.oid AND i.indisprimary)
               AND (t.relkind = 'r' OR EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = t.oid AND i.indisunique))
            UNION ALL
            SELECT t.relname, 'unique_key',
                   format('%s %s does not lead with workspace_id',
                          CASE WHEN i.indisprimary THEN 'primary key' WHEN i.indisexclusion THEN 'exclusion constraint'
                               ELSE 'unique index' END,
                          ic.relname)
              FROM tenant t
              JOIN pg_index i ON i.indrelid = t.oid AND (i.indisunique OR i.indisexclusion)
              JOIN pg_class ic ON ic.oid = i.indexrelid
             WHERE i.indkey[0] <> t.ws
            UNION ALL
            SELECT src.relname, 'foreign_key',
                   format('%s references %s without pairing workspace_id with its workspace_id', con.conname, dst.relname)
              FROM pg_constraint con
              JOIN tenant src ON src.oid = con.conrelid
              JOIN tenant dst ON dst.oid = con.confrelid
             WHERE con.contype = 'f' AND con.conparentid = 0
               AND NOT EXISTS (SELECT 1 FROM generate_subscripts(con.conkey, 1) k
                                WHERE con.conkey[k] = src.ws AND con.confkey[k] = dst.ws)
            ORDER BY 1, 2, 3
            """)
        return try rows.map {
            Finding(table: try $0.decode("table_name", as: String.self), rule: try $0.decode("rule", as: String.self),
                    detail: try $0.decode("detail", as: String.self))
        }
    }

    static func isExcepted(_ finding: Finding) -> Bool {
        exceptions.contains { $0.table == finding.table && $0.rule == finding.rule }
    }

    @Test func theCheckSeesEveryTenantTableAndNoPartition() async throws {
        let db = try await MigratedDatabase.create()
        let connection = try await db.ownerConnection()
        let tables = try await Self.tenantTables(in: "public", on: connection)
        // A check over no tables would pass vacuously: the migrated schema has ~45 tenant tables.
        #expect(tables.count >= 40, "\(tables)")
        for expected in ["api_keys", "audit_log", "jobs", "metric_points", "security_events", "idempotency_keys", "workspace_usage"] {
            #expect(tables.contains(expected), "\(expected) is a tenant table")
        }
        // Platform tables have no workspace_id; daily partitions are reached through their parent.
        for platform in ["workspaces", "schema_migrations", "partitioned_tables", "schedule_ticks", "worker_heartbeats"] {
            #expect(!tables.contains(platform), "\(platform) is not a tenant table")
        }
        #expect(!tables.contains { $0.range(of: #"_p[0-9]{8}$"#, options: .regularExpression) != nil }, "\(tables)")
        await connection.close()
        try await db.drop()
    }

    @Test func everyTenantTableFollowsTheRulesOrIsAnExplainedException() async throws {
        let db = try await MigratedDatabase.create()
        let connection = try await db.ownerConnection()
        let findings = try await Self.findings(in: "public", on: connection)
        let unexpected = findings.filter { !Self.isExcepted($0) }
        #expect(unexpected.isEmpty, "tenant tables breaking the rules (fix them in a new migration, or add an explained exception):\n\(unexpected.map(\.description).joined(separator: "\n"))")
        // An exception the schema no longer needs must go, so the list stays true.
        for exception in Self.exceptions {
            #expect(findings.contains { $0.table == exception.table && $0.rule == exception.rule },
                    "stale exception: \(exception.table) [\(exception.rule)] no longer breaks the rule")
        }
        await connection.close()
        try await db.drop()
    }

    /// The same check over a scratch schema of deliberately bad tables reports each of them, and
    /// nothing about the well-formed ones: the check can fail.
    @Test func theCheckReportsBadTables() async throws {
        let db = try await MigratedDatabase.create()
        let connection = try await db.ownerConnection()
        try await connection.simpleQuery("""
            CREATE SCHEMA catalog_check;
            SET search_path = catalog_check, public;

            -- Well-formed: key and unique constraint lead with workspace_id, forced row-level
            -- security, a foreign key to the tenant root.
            CREATE TABLE good (
                workspace_id uuid NOT NULL REFERENCES public.workspaces (id),
                id uuid NOT NULL,
                name text NOT NULL,
                PRIMARY KEY (workspace_id, id),
                UNIQUE (workspace_id, name)
            );
            ALTER TABLE good ENABLE ROW LEVEL SECURITY;
            ALTER TABLE good FORCE ROW LEVEL SECURITY;

            -- A foreign key that pairs workspace_id with workspace_id: fine.
            CREATE TABLE good_child (
                workspace_id uuid NOT NULL,
                good_id uuid NOT NULL,
                PRIMARY KEY (workspace_id, good_id),
                FOREIGN KEY (workspace_id, good_id) REFERENCES good (workspace_id, id)
            );
            ALTER TABLE good_child ENABLE ROW LEVEL SECURITY;
            ALTER TABLE good_child FORCE ROW LEVEL SECURITY;

            -- No workspace_id: a platform table, not checked.
            CREATE TABLE platform_thing (id uuid PRIMARY KEY, name text UNIQUE);

            -- No row-level security; a primary key and a unique (name) without workspace_id.
            CREATE TABLE bad_unique (
                workspace_id uuid NOT NULL,
                id uuid PRIMARY KEY,
                name text NOT NULL UNIQUE
            );

            -- Enabled but not forced; a partial unique index that does not lead with workspace_id.
            CREATE TABLE bad_not_forced (
                workspace_id uuid NOT NULL,
                id uuid NOT NULL,
                key text,
                PRIMARY KEY (workspace_id, id)
            );
            CREATE UNIQUE INDEX bad_not_forced_key ON bad_not_forced (key, workspace_id) WHERE key IS NOT NULL;
            ALTER TABLE bad_not_forced ENABLE ROW LEVEL SECURITY;

            -- A foreign key into another tenant table through columns that leave its own
            -- workspace_id out: the referenced row may belong to another workspace.
            CREATE TABLE bad_reference (
                workspace_id uuid NOT NULL,
                id uuid NOT NULL,
                other_workspace uuid NOT NULL,
                good_id uuid NOT NULL,
                PRIMARY KEY (workspace_id, id),
                FOREIGN KEY (other_workspace, good_id) REFERENCES good (workspace_id, id)
            );
            ALTER TABLE bad_reference ENABLE ROW LEVEL SECURITY;
            ALTER TABLE bad_reference FORCE ROW LEVEL SECURITY;

            -- Not partitioned and no primary key.
            CREATE TABLE bad_no_key (workspace_id uuid NOT NULL, value double precision NOT NULL);
            ALTER TABLE bad_no_key ENABLE ROW LEVEL SECURITY;
            ALTER TABLE bad_no_key FORCE ROW LEVEL SECURITY;

            -- Partitioned with a unique constraint but no primary key. Its partition (no
            -- row-level security of its own) is not reported: partitions are reached through
            -- their parent.
            CREATE TABLE bad_events (
                workspace_id uuid NOT NULL,
                ts timestamptz NOT NULL,
                id uuid NOT NULL,
                UNIQUE (workspace_id, id, ts)
            ) PARTITION BY RANGE (ts);
            CREATE TABLE bad_events_p20260101 PARTITION OF bad_events
                FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-01-02 00:00:00+00');
            ALTER TABLE bad_events ENABLE ROW LEVEL SECURITY;
            ALTER TABLE bad_events FORCE ROW LEVEL SECURITY;

            -- Partitioned, no primary key, no unique constraint: fine (like metric_points).
            CREATE TABLE good_points (workspace_id uuid NOT NULL, ts timestamptz NOT NULL) PARTITION BY RANGE (ts);
            CREATE TABLE good_points_p20260101 PARTITION OF good_points
                FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-01-02 00:00:00+00');
            ALTER TABLE good_points ENABLE ROW LEVEL SECURITY;
            ALTER TABLE good_points FORCE ROW LEVEL SECURITY;

            RESET search_path;
            """)

        let tables = try await Self.tenantTables(in: "catalog_check", on: connection)
        #expect(tables == ["bad_events", "bad_no_key", "bad_not_forced", "bad_reference", "bad_unique", "good", "good_child", "good_points"])

        let findings = try await Self.findings(in: "catalog_check", on: connection)
        let reported = findings.map { "\($0.table) \($0.rule)" }.sorted()
        #expect(reported == [
            "bad_events primary_key",
            "bad_no_key primary_key",
            "bad_not_forced row_security",
            "bad_not_forced unique_key",
            "bad_reference foreign_key",
            "bad_unique row_security",
            "bad_unique unique_key",   // its primary key (id)
            "bad_unique unique_key",   // UNIQUE (name)
        ], "\(findings.map(\.description).joined(separator: "\n"))")
        #expect(findings.contains(Finding(table: "bad_unique", rule: "row_security", detail: "row-level security is not enabled")))
        #expect(findings.contains(Finding(table: "bad_not_forced", rule: "row_security", detail: "row-level security is enabled but not forced")))
        #expect(findings.contains(Finding(table: "bad_not_forced", rule: "unique_key", detail: "unique index bad_not_forced_key does not lead with workspace_id")))
        #expect(findings.contains { $0.table == "bad_unique" && $0.detail.hasPrefix("primary key ") })
        #expect(findings.contains { $0.table == "bad_reference" && $0.detail.contains("references good") })
        // None of the bad tables is excused by the exception list of the real schema.
        #expect(findings.allSatisfy { !Self.isExcepted($0) })
        await connection.close()
        try await db.drop()
    }
}
