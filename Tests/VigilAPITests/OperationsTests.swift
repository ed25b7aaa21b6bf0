import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import PostgresClient
import VigilAPI
import VigilTestFixtures

struct OperationsTests {
    @Test func livenessReadinessAndHealth() async throws {
        try await TestAPI.run { _, client in
            let live = try await client.call(.get, "/healthz")
            #expect(live.status == .ok)
            #expect(live.json["status"] as? String == "ok")

            let ready = try await client.call(.get, "/readyz")
            #expect(ready.status == .ok)
            #expect((ready.json["checks"] as? [String: String])?["migrations"] == "ok")
            #expect((ready.json["checks"] as? [String: String])?["login"] == "ok")

            let health = try await client.call(.get, "/health")
            #expect(health.status == .ok)
            let components = try #require(health.json["components"] as? [String: [String: Any]])
            #expect(Set(components.keys) == ["database", "pool", "migrations", "worker", "disk"])
            #expect(components["database"]?["status"] as? String == "healthy")
            #expect(components["database"]?["latency_ms"] is Double || components["database"]?["latency_ms"] is Int)
            // No worker has ever beaten in this database.
            #expect(components["worker"]?["status"] as? String == "degraded")
            #expect(health.json["status"] as? String == "degraded")
            #expect(!health.text.contains("host=") && !health.text.contains("postgres"))
        }
    }

    @Test func healthTurnsUnhealthyWhenTheWorkerHeartbeatIsStale() async throws {
        try await TestAPI.run { api, client in
            let owner = try await api.db.ownerConnection()
            try await owner.simpleQuery("""
                INSERT INTO worker_heartbeats (id, host, pid, version, started_at, last_seen_at)
                VALUES (gen_random_uuid(), 'h', 1, 'v', now() - interval '1 hour', now() - interval '10 minutes')
                """)
            let stale = try await client.call(.get, "/health")
            #expect(stale.status == .serviceUnavailable)
            #expect(stale.json["status"] as? String == "unhealthy")

            try await owner.simpleQuery("UPDATE worker_heartbeats SET last_seen_at = now()")
            await owner.close()
            let fresh = try await client.call(.get, "/health")
            #expect(fresh.status == .ok)
            #expect((fresh.json["components"] as? [String: [String: Any]])?["worker"]?["status"] as? String == "healthy")
        }
    }

    @Test func readinessFailsWhenAMigrationIsMissing() async throws {
        try await TestAPI.run { api, client in
            let owner = try await api.db.ownerConnection()
            try await owner.simpleQuery("DELETE FROM schema_migrations")
            await owner.close()
            let ready = try await client.call(.get, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            #expect((ready.json["checks"] as? [String: String])?["migrations"] == "pending")
        }
    }

    /// A rollback: this binary against a schema a newer release migrated. Ready while the newer
    /// migrations are marked backward-compatible, not ready once one is not.
    @Test func readinessFollowsTheCompatibilityOfNewerMigrations() async throws {
        try await TestAPI.run { api, client in
            let owner = try await api.db.ownerConnection()
            try await owner.simpleQuery("""
                INSERT INTO schema_migrations (version, name, checksum, backward_compatible)
                VALUES (9001, '9001_next_release.sql', 'x', true)
                """)
            let compatible = try await client.call(.get, "/readyz")
            #expect(compatible.status == .ok, "\(compatible.text)")
            #expect((compatible.json["checks"] as? [String: String])?["migrations"] == "ahead")
            try await owner.simpleQuery("UPDATE schema_migrations SET backward_compatible = false WHERE version = 9001")
            await owner.close()
            let incompatible = try await client.call(.get, "/readyz")
            #expect(incompatible.status == .serviceUnavailable)
            #expect((incompatible.json["checks"] as? [String: String])?["migrations"] == "ahead_incompatible")
        }
    }

    @Test func metricsUseRouteTemplatesAndIncludePoolGauges() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            _ = try await client.call(.get, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key))
            _ = try await client.call(.get, "/v1/workspaces/\(ws.id)")
            let reply = try await client.call(.get, "/metrics")
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = reply.text
            #expect(text.contains(#"vigil_http_requests_total{route="/v1/workspaces/{workspace}",method="GET",status="200"} 1"#), "\(text)")
            #expect(text.contains(#"vigil_http_requests_total{route="/v1/workspaces/{workspace}",method="GET",status="401"} 1"#))
            #expect(text.contains("vigil_http_request_duration_seconds_bucket"))
            for family in ["vigil_http_requests_total", "vigil_http_request_duration_seconds", "vigil_db_pool_connections"] {
                #expect(text.contains("# HELP \(family) "), "\(family) has no help text")
            }
            #expect(text.contains(#"vigil_db_pool_connections{state="in_use"}"#))
            #expect(text.contains("vigil_db_pool_waiting_requests"))
            #expect(text.contains(#"vigil_build_info{version="\#(APIApplication.version)"} 1"#), "\(text)")
            #expect(text.contains("# HELP vigil_build_info "))
            // The standard process families, read from /proc at scrape time.
            for family in ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_start_time_seconds", "process_open_fds"] {
                #expect(text.contains("\n\(family) "), "\(family) is missing")
            }
            // No worker has beaten in this test database, so there is no heartbeat age to report.
            #expect(!text.contains("vigil_worker_heartbeat_age_seconds "))
            // Labels never carry tenant ids or raw paths.
            #expect(!text.contains(ws.id) && !text.contains(ws.slug))
        }
    }

    /// Ingest outcomes are counted per batch, accepted points in total.
    @Test func metricsCountIngestOutcomes() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let good = #"{"points":[{"name":"m","kind":"gauge","value":1},{"name":"m","kind":"gauge","value":2}]}"#
            #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: good).status == .ok)
            try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: #"{"points":[{"name":"m"}]}"#)
                .expectErrorEnvelope(.badRequest, "invalid_request")
            try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer("vgl_wrong"), json: good)
                .expectErrorEnvelope(.unauthorized, "unauthenticated")
            let text = try await client.call(.get, "/metrics").text
            #expect(text.contains(#"vigil_ingest_batches_total{outcome="accepted"} 1"#), "\(text)")
            #expect(text.contains(#"vigil_ingest_batches_total{outcome="invalid"} 1"#))
            #expect(text.contains(#"vigil_ingest_batches_total{outcome="unauthorized"} 1"#))
            #expect(text.contains("vigil_ingest_points_total 2"))
            #expect(text.contains("# HELP vigil_ingest_batches_total "))
        }
    }

    static let correlationCases: [(HTTPFields, String?)] = [
        ([HTTPField.Name("X-Correlation-ID")!: "given-id-1"], "given-id-1"),
        ([HTTPField.Name("X-Request-ID")!: "req-id-2"], "req-id-2"),
        ([HTTPField.Name("traceparent")!: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"], "4bf92f3577b34da6a3ce929d0e0e4736"),
        ([:], nil),
    ]

    @Test(arguments: correlationCases.indices)
    func everyResponseCarriesCorrelationAndDuration(index: Int) async throws {
        let (headers, expected) = Self.correlationCases[index]
        try await TestAPI.run { _, client in
            for path in ["/healthz", "/v1/workspaces/nope", "/nowhere"] {
                let reply = try await client.call(.get, path, headers: headers)
                let id = try #require(reply.headers[HTTPField.Name("X-Correlation-ID")!])
                if let expected { #expect(id == expected) } else { #expect(id.count == 32) }
                let duration = try #require(reply.headers[HTTPField.Name("X-Request-Duration-Ms")!])
                #expect(Double(duration) != nil)
            }
        }
    }
}

/// A dropped or exhausted database never becomes a 500: the client is told to retry.
struct DatabaseUnavailableTests {
    @Test func anExhaustedPoolAnswers503WithRetryAfter() async throws {
        try await TestAPI.run(pool: { $0.makeAppPool(maxConnections: 1, acquireTimeout: .milliseconds(200)) }) { api, client in
            let ws = try await client.createWorkspace()
            // Hold the only connection while the request needs one.
            let reply = try await api.pool.withConnection { _ in
                try await client.call(.get, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key))
            }
            reply.expectErrorEnvelope(.serviceUnavailable, "unavailable")
            #expect(reply.headers[.retryAfter] == "1")
            // Once the connection is back, the same request succeeds.
            #expect(try await client.call(.get, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key)).status == .ok)
        }
    }

    /// A login that could read across tenants on its own is not ready (issue 14), even though
    /// every transaction would drop to the app role: the superuser the migrations ran as, and a
    /// plain login that is a member of vigil_owner (the single login of earlier releases).
    @Test func readinessFailsForALoginThatCanBypassRowLevelSecurity() async throws {
        try await TestAPI.run(pool: { PostgresPool(configuration: PostgresPoolConfiguration(conninfo: $0.ownerConninfo), logger: MigratedDatabase.logger) }) { _, client in
            let ready = try await client.call(.get, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            #expect((ready.json["checks"] as? [String: String])?["login"]?.contains("superuser") == true)
        }
        let legacy = "vigil_test_legacy_\(UUID().uuidString.prefix(8).lowercased())"
        try await TestAPI.run(pool: { db in
            PostgresPool(configuration: PostgresPoolConfiguration(conninfo: (try? PostgresConninfo.setting(["user": legacy, "password": MigratedDatabase.loginPassword], in: db.ownerConninfo)) ?? ""),
                         logger: MigratedDatabase.logger)
        }) { api, client in
            let owner = try await api.db.ownerConnection()
            try await owner.simpleQuery("CREATE ROLE \(legacy) LOGIN PASSWORD '\(MigratedDatabase.loginPassword)'; GRANT vigil_owner, vigil_worker TO \(legacy)")
            let ready = try await client.call(.get, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            #expect((ready.json["checks"] as? [String: String])?["login"] == "owner_member")
            await api.pool.shutdown()
            try await owner.simpleQuery("DROP ROLE \(legacy)")
            await owner.close()
        }
    }
}
