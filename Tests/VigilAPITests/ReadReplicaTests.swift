import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import PostgresClient
import Testing
import VigilAPI
import VigilCore
import VigilRepositories
import VigilServices
import VigilTestFixtures

/// `DATABASE_READ_URL` (issue 14, item 3). The "replica" here is a copy of the test database
/// taken at one instant (`MigratedDatabase.snapshot`): a standby whose replay is paused, so a
/// read that reached it shows the data as it was, and a key revoked on the primary afterwards
/// is still valid there. The real streaming replica is exercised by `scripts/drills/replica.py`.
@Suite(.serialized) struct ReadReplicaTests {
    /// One API process: the API login's pool on the primary and, when given, on the replica.
    final class Process: @unchecked Sendable {
        let services: Services
        let router: Router<VigilRequestContext>
        let pools: [PostgresPool]

        init(primary db: MigratedDatabase, replica conninfo: String?, clock: TestClock,
             policy: ReadReplicaPolicy = ReadReplicaPolicy(maxLagSeconds: 30)) throws {
            let primary = db.makeAppPool(as: .api)
            var pools = [primary]
            var replica: ReadReplica?
            if let conninfo {
                var configuration = PostgresPoolConfiguration(conninfo: conninfo)
                configuration.maxConnections = 4
                configuration.connectTimeout = .seconds(2)
                configuration.acquireTimeout = .seconds(3)
                let pool = PostgresPool(configuration: configuration, logger: MigratedDatabase.logger)
                pools.append(pool)
                replica = ReadReplica(pool: pool, policy: policy, logger: MigratedDatabase.logger)
            }
            let settings = ServiceSettings(adminToken: TestAPI.adminToken, migrations: try MigrationFile.bundled())
            services = Services(environment: VigilEnvironment(database: Database(pool: primary, purpose: .api, readReplica: replica),
                                                              clock: WallClock(now: { clock.now }), settings: settings,
                                                              logger: MigratedDatabase.logger))
            router = try APIApplication.makeRouter(services: services, configuration: APIConfiguration(), logger: MigratedDatabase.logger)
            self.pools = pools
        }

        var replicaReads: Int { services.database.readReplica?.statistics.replicaReads ?? 0 }

        func fallbacks(_ reason: ReadFallbackReason) -> Int { services.database.readReplica?.statistics.fallbacks[reason] ?? 0 }

        func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
            try await Application(router: router).test(.router) { try await body($0) }
        }

        func shutdown() async {
            await services.auth.flushFailureCounts()
            for pool in pools { await pool.shutdown() }
        }
    }

    /// Runs `body`, then shuts the processes down, whether `body` threw or not.
    static func shuttingDown(_ processes: Process..., body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            for process in processes { await process.shutdown() }
            throw error
        }
        for process in processes { await process.shutdown() }
    }

    static func ingest(_ client: some TestClientProtocol, _ slug: String, key: String, name: String, count: Int) async throws {
        let points = Array(repeating: #"{"name": "\#(name)", "kind": "counter", "value": 1}"#, count: count).joined(separator: ",")
        let reply = try await client.call(.post, "/v1/workspaces/\(slug)/metrics", auth: .bearer(key), json: #"{"points": [\#(points)]}"#)
        #expect(reply.status == .ok, "\(reply.text)")
    }

    static func count(_ client: some TestClientProtocol, _ slug: String, key: String, name: String) async throws -> (HTTPResponse.Status, Int?) {
        let reply = try await client.call(.get, "/v1/workspaces/\(slug)/metrics/\(name)/stats?window=10", auth: .bearer(key))
        return (reply.status, reply.json["count"] as? Int)
    }

    /// Builds the primary's data with `prepare` (workspace A with 3 points of `rr.calls`, a viewer
    /// key; workspace B with 5 points of `rr.other`), freezes the replica there, and runs `body`
    /// with the primary, the replica's conninfo and the set-up's values.
    struct Seeded: Sendable {
        var a: (id: String, slug: String, admin: String), b: (slug: String, admin: String)
        var viewer: (id: String, key: String)
    }

    static func withFrozenReplica(_ body: (MigratedDatabase, MigratedDatabase, Seeded, TestClock) async throws -> Void) async throws {
        let db = try await MigratedDatabase.create()
        let clock = TestClock()
        let seeding = try Process(primary: db, replica: nil, clock: clock)
        let seeded = SeededBox()
        do {
            try await seeding.test { client in
                let a = try await client.createWorkspace(), b = try await client.createWorkspace()
                let viewer = try await client.createKey(workspace: a.slug, adminKey: a.key, role: "viewer")
                try await Self.ingest(client, a.slug, key: a.key, name: "rr.calls", count: 3)
                try await Self.ingest(client, b.slug, key: b.key, name: "rr.other", count: 5)
                seeded.value = Seeded(a: (a.id, a.slug, a.key), b: (b.slug, b.key), viewer: viewer)
            }
        } catch {
            await seeding.shutdown()
            throw error
        }
        await seeding.shutdown()
        let replica = try await db.snapshot()
        do {
            try await body(db, replica, try #require(seeded.value), clock)
        } catch {
            try? await replica.drop()
            try? await db.drop()
            throw error
        }
        try await replica.drop()
        try await db.drop()
    }

    final class SeededBox: @unchecked Sendable {
        var value: Seeded?
    }

    /// Heavy reads go to the replica: the frozen copy answers (3 points), not the primary, which
    /// has 7 by now. Tenancy there is the primary's: B's key reads B's metric and not A's.
    @Test func heavyReadsUseTheReplicaWithTheSameTenancy() async throws {
        try await Self.withFrozenReplica { db, replica, seeded, clock in
            let process = try Process(primary: db, replica: replica.conninfo(as: .api), clock: clock)
            try await Self.shuttingDown(process) {
                try await process.test { client in
                    let a = seeded.a.slug, b = seeded.b.slug
                    try await Self.ingest(client, a, key: seeded.a.admin, name: "rr.calls", count: 4)  // primary: 7
                    let before = process.replicaReads
                    #expect(try await Self.count(client, a, key: seeded.viewer.key, name: "rr.calls") == (.ok, 3))
                    // Two reads, both on the replica: the cached answers' version, then the stats.
                    #expect(process.replicaReads == before + 2)
                    let series = try await client.call(.get, "/v1/workspaces/\(a)/metrics/rr.calls/series?window=10", auth: .bearer(seeded.viewer.key))
                    #expect(series.status == .ok, "\(series.text)")
                    let export = try await client.call(.get, "/v1/workspaces/\(a)/metrics/export", auth: .bearer(seeded.viewer.key))
                    #expect(export.status == .ok && export.text.contains("rr_calls") && export.text.contains(" 3"), "\(export.text)")
                    let dashboard = try await client.call(.get, "/v1/workspaces/\(a)/dashboards/graphql-mutations?window=60", auth: .bearer(seeded.a.admin))
                    #expect(dashboard.status == .ok, "\(dashboard.text)")
                    #expect(process.replicaReads >= before + 4)
                    #expect(process.fallbacks(.failed) == 0 && process.fallbacks(.unreachable) == 0)

                    // B on the replica: its own metric, and A's is not found (row-level security).
                    #expect(try await Self.count(client, b, key: seeded.b.admin, name: "rr.other") == (.ok, 5))
                    #expect(try await Self.count(client, b, key: seeded.b.admin, name: "rr.calls").0 == .notFound)
                    let bExport = try await client.call(.get, "/v1/workspaces/\(b)/metrics/export", auth: .bearer(seeded.b.admin))
                    #expect(bExport.status == .ok && !bExport.text.contains("rr_calls"), "\(bExport.text)")
                    // A's key on B's path is refused before any read.
                    #expect(try await Self.count(client, b, key: seeded.viewer.key, name: "rr.other").0 == .notFound)

                    let ready = try await client.call(.get, "/readyz")
                    #expect(ready.status == .ok && (ready.json["checks"] as? [String: String])?["read_replica"] == "ok", "\(ready.text)")
                    let metrics = try await client.call(.get, "/metrics")
                    #expect(metrics.text.contains("vigil_db_replica_reads_total \(process.replicaReads)"), "\(metrics.text)")
                    #expect(metrics.text.contains("vigil_db_replica_up 1"))
                    let (status, said) = try Promtool.checkMetrics(metrics.text)
                    #expect(status == 0, "promtool: \(said)")
                }
            }
        }
    }

    /// The replica still holds the key revoked on the primary (its replay is behind), yet the
    /// very next request with it is refused on every process: the key is checked on the primary,
    /// never on the replica. Process B has the key cached from an earlier request.
    @Test func aKeyRevokedOnThePrimaryIsRefusedAtOnceThoughTheReplicaStillHasIt() async throws {
        try await Self.withFrozenReplica { db, replica, seeded, clock in
            let processA = try Process(primary: db, replica: replica.conninfo(as: .api), clock: clock)
            let processB = try Process(primary: db, replica: replica.conninfo(as: .api), clock: clock)
            try await Self.shuttingDown(processA, processB) {
                let a = seeded.a.slug, viewer = seeded.viewer
                try await processB.test { client in
                    let first = try await Self.count(client, a, key: viewer.key, name: "rr.calls")  // now cached in B
                    #expect(first == (.ok, 3))
                }
                try await processA.test { client in
                    let revoked = try await client.call(.delete, "/v1/workspaces/\(a)/api-keys/\(viewer.id)", auth: .bearer(seeded.a.admin))
                    #expect(revoked.status == .noContent, "\(revoked.text)")
                }
                let readsBefore = processB.replicaReads
                try await processB.test { client in
                    for path in ["metrics/rr.calls/stats?window=10", "metrics/rr.calls/series?window=10", "metrics/export",
                                 "dashboards/graphql-mutations?window=60", "metrics/no.such.metric/stats"] {
                        try await client.call(.get, "/v1/workspaces/\(a)/\(path)", auth: .bearer(viewer.key))
                            .expectErrorEnvelope(.unauthorized, "unauthenticated")
                    }
                    // The admin key, not revoked, still reads through the replica.
                    #expect(try await Self.count(client, a, key: seeded.a.admin, name: "rr.calls") == (.ok, 3))
                }
                #expect(processB.replicaReads > readsBefore)
                // The primitive itself, without the request's closing check (`AuthService.asserting`):
                // a heavy read under the revoked key's assertion fails on the primary's key check.
                let workspaceID = try #require(UUID(uuidString: seeded.a.id)), keyID = try #require(UUID(uuidString: viewer.id))
                let assertion = Database.KeyAssertion(workspaceID: workspaceID, keyID: keyID)
                do {
                    _ = try await Database.$keyAssertion.withValue(assertion) {
                        try await processB.services.database.readInWorkspace(workspaceID) { _ in 1 }
                    }
                    Issue.record("a heavy read under a revoked key's assertion succeeded")
                } catch let error as StorageError {
                    #expect(error.kind == .credentialRevoked, "\(error)")
                }
            }
        }
    }

    /// A replica that cannot be reached never turns into an error: the reads are served by the
    /// primary, `/readyz` stays ready and says `unreachable`, and the fallback is counted.
    @Test func anUnreachableReplicaFallsBackToThePrimary() async throws {
        try await Self.withFrozenReplica { db, _, seeded, clock in
            // Nothing listens on port 1.
            let process = try Process(primary: db, replica: "host=127.0.0.1 port=1 dbname=nothing user=nobody connect_timeout=2", clock: clock)
            try await Self.shuttingDown(process) {
                try await process.test { client in
                    try await Self.ingest(client, seeded.a.slug, key: seeded.a.admin, name: "rr.calls", count: 4)
                    for _ in 0..<3 {
                        #expect(try await Self.count(client, seeded.a.slug, key: seeded.viewer.key, name: "rr.calls") == (.ok, 7))
                    }
                    let export = try await client.call(.get, "/v1/workspaces/\(seeded.a.slug)/metrics/export", auth: .bearer(seeded.viewer.key))
                    #expect(export.status == .ok, "\(export.text)")
                    #expect(process.replicaReads == 0)
                    // Counted per read: the first stats request reads the version and the stats,
                    // the next two only the version (their answer is the stored one), then the export.
                    #expect(process.fallbacks(.unreachable) == 5)
                    let ready = try await client.call(.get, "/readyz")
                    #expect(ready.status == .ok && (ready.json["checks"] as? [String: String])?["read_replica"] == "unreachable", "\(ready.text)")
                    let metrics = try await client.call(.get, "/metrics")
                    #expect(metrics.text.contains(#"vigil_db_replica_fallbacks_total{reason="unreachable"} 5"#), "\(metrics.text)")
                    #expect(metrics.text.contains("vigil_db_replica_up 0"))
                    let (status, said) = try Promtool.checkMetrics(metrics.text)
                    #expect(status == 0, "promtool: \(said)")
                }
            }
        }
    }

    /// A replica that goes away between its check and the read: the read is repeated on the
    /// primary (200, the primary's data), and the replica is marked unreachable for the next reads.
    @Test func aReadThatFailsOnTheReplicaIsRepeatedOnThePrimary() async throws {
        try await Self.withFrozenReplica { db, replica, seeded, clock in
            // Checked once a minute: the read below trusts the check made just before.
            let process = try Process(primary: db, replica: replica.conninfo(as: .api), clock: clock,
                                      policy: ReadReplicaPolicy(maxLagSeconds: 30, recheckSeconds: 60))
            try await Self.shuttingDown(process) {
                try await process.test { client in
                    try await Self.ingest(client, seeded.a.slug, key: seeded.a.admin, name: "rr.calls", count: 4)
                    #expect(try await Self.count(client, seeded.a.slug, key: seeded.viewer.key, name: "rr.calls") == (.ok, 3))
                    try await replica.drop()  // its sessions are cut and it cannot be reconnected to
                    #expect(try await Self.count(client, seeded.a.slug, key: seeded.viewer.key, name: "rr.calls") == (.ok, 7))
                    // The version read failed there and was repeated on the primary; the stats
                    // read followed it to the primary, as one request's reads keep to one server.
                    #expect(process.fallbacks(.failed) == 2)
                    #expect(process.services.database.readReplica?.statistics.state == .unreachable)
                    #expect(try await Self.count(client, seeded.a.slug, key: seeded.viewer.key, name: "rr.calls") == (.ok, 7))
                    #expect(process.fallbacks(.unreachable) == 1)
                }
            }
        }
    }

    /// Under `Database.withOneReadServer` (a cached answer's version, then its content) every
    /// read goes where the first was routed, even when the route changes in between: the
    /// replica is found gone before the second read, which still tries the replica (and is
    /// repeated on the primary) rather than being routed to the primary anew.
    @Test func oneRequestsReadsKeepToTheServerOfItsFirst() async throws {
        try await Self.withFrozenReplica { db, replica, seeded, clock in
            let process = try Process(primary: db, replica: replica.conninfo(as: .api), clock: clock)
            try await Self.shuttingDown(process) {
                let workspace = try #require(UUID(uuidString: seeded.a.id))
                let routing = try #require(process.services.database.readReplica)
                try await Database.withOneReadServer {
                    _ = try await process.services.metricQueries.readVersion(in: workspace)
                    #expect(process.replicaReads == 1)
                    try await replica.drop()
                    #expect(await routing.check() == .unreachable)
                    _ = try await process.services.metricQueries.readVersion(in: workspace)
                }
                #expect(process.fallbacks(.failed) == 1 && process.fallbacks(.unreachable) == 0)
                // Outside a pin the next read is routed anew: the recheck finds the replica gone.
                _ = try await process.services.metricQueries.readVersion(in: workspace)
                #expect(process.fallbacks(.unreachable) == 1)
            }
        }
    }

    /// Without DATABASE_READ_URL nothing changes: `/readyz` says `not_configured`, and a heavy
    /// read is served by the primary (the newest data).
    @Test func withoutAReplicaEverythingReadsThePrimary() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            try await Self.ingest(client, ws.slug, key: ws.key, name: "rr.calls", count: 2)
            #expect(try await Self.count(client, ws.slug, key: ws.key, name: "rr.calls") == (.ok, 2))
            #expect(api.services.database.readReplica == nil)
            let ready = try await client.call(.get, "/readyz")
            #expect((ready.json["checks"] as? [String: String])?["read_replica"] == "not_configured", "\(ready.text)")
            #expect(!(try await client.call(.get, "/metrics")).text.contains("vigil_db_replica"))
        }
    }
}
