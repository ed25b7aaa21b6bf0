import PostgresClient
import Testing

@Suite struct PoolTests {
    @Test func exhaustedPoolTimesOutThenRecoversAfterRelease() async throws {
        try await withTestDatabase { db in
            try await db.withPool({
                $0.maxConnections = 1
                $0.acquireTimeout = .milliseconds(200)
            }) { pool in
                try await pool.withConnection { _ in
                    #expect(pool.statistics == PostgresPoolStatistics(inUse: 1, idle: 0, waiting: 0, total: 1))
                    let started = ContinuousClock.now
                    await expectPostgresError(.acquireTimeout) {
                        try await pool.withConnection { _ in }
                    }
                    #expect(started.duration(to: .now) >= .milliseconds(200))
                    #expect(pool.statistics.waiting == 0)
                }
                #expect(pool.statistics == PostgresPoolStatistics(inUse: 0, idle: 1, waiting: 0, total: 1))
                let rows = try await pool.query("SELECT 1 AS one")
                #expect(try rows.first?.decode("one", as: Int.self) == 1)
            }
        }
    }

    @Test func waiterGetsTheConnectionWhenItIsReleased() async throws {
        try await withTestDatabase { db in
            try await db.withPool({
                $0.maxConnections = 1
                $0.acquireTimeout = .seconds(60)
            }) { pool in
                let (holderPID, waiterPID) = try await pool.withConnection { held in
                    let waiter = Task { try await pool.withConnection { $0.backendPID } }
                    try await waitUntil("a waiter to queue") { pool.statistics.waiting == 1 }
                    return (held.backendPID, waiter)
                }
                // Leaving withConnection released the connection to the queued waiter.
                #expect(try await withTimeout("the waiter") { try await waiterPID.value } == holderPID)
                #expect(pool.statistics.total == 1)
            }
        }
    }

    @Test func killedBackendFailsThenPoolHandsOutANewConnection() async throws {
        try await withTestDatabase { db in
            try await db.withPool({ $0.maxConnections = 1 }) { pool in
                let killedPID = try await pool.withConnection { connection in
                    let pid = connection.backendPID
                    try await terminate(pid, db: db)
                    await expectPostgresError(.connection) { try await connection.query("SELECT 1") }
                    #expect(connection.isBroken)
                    return pid
                }
                // The broken connection was discarded, not pooled.
                #expect(pool.statistics == PostgresPoolStatistics(inUse: 0, idle: 0, waiting: 0, total: 0))
                let newPID = try await pool.withConnection { connection in
                    let rows = try await connection.query("SELECT 1 AS one")
                    #expect(rows.count == 1)
                    return connection.backendPID
                }
                #expect(newPID != killedPID)
            }
        }
    }

    @Test func idleConnectionKilledInThePoolIsReplacedTransparently() async throws {
        try await withTestDatabase { db in
            try await db.withPool({ $0.maxConnections = 1 }) { pool in
                let firstPID = try await pool.withConnection { $0.backendPID }
                #expect(pool.statistics.idle == 1)
                try await terminate(firstPID, db: db)
                // No error surfaces: the pool notices the dead idle connection and reconnects.
                let row = try #require(try await pool.query("SELECT pg_backend_pid() AS pid").first)
                #expect(try row.decode("pid", as: Int32.self) != firstPID)
                #expect(pool.statistics.total == 1)
            }
        }
    }

    @Test func connectionsPastTheirLifetimeAreNotReused() async throws {
        try await withTestDatabase { db in
            try await db.withPool({ $0.maxConnectionLifetime = .zero }) { pool in
                let first = try await pool.withConnection { $0.backendPID }
                let second = try await pool.withConnection { $0.backendPID }
                #expect(first != second)
                #expect(pool.statistics.total == 0)
            }
        }
    }

    @Test func healthyConnectionsAreReused() async throws {
        try await withTestDatabase { db in
            try await db.withPool { pool in
                let first = try await pool.withConnection { $0.backendPID }
                let second = try await pool.withConnection { $0.backendPID }
                #expect(first == second)
            }
        }
    }

    @Test func connectionLeftInATransactionIsDiscarded() async throws {
        try await withTestDatabase { db in
            try await db.withPool { pool in
                let leaked = try await pool.withConnection { connection in
                    try await connection.simpleQuery("BEGIN")
                    return connection.backendPID
                }
                #expect(pool.statistics.total == 0)
                #expect(try await pool.withConnection { $0.backendPID } != leaked)
            }
        }
    }

    /// A transaction left open (its task waiting on something else) is ended by the server,
    /// not left holding locks and a snapshot; pooled connections carry the setting (default 60 s).
    @Test func aTransactionLeftIdleIsEndedByTheServer() async throws {
        #expect(PostgresPoolConfiguration(conninfo: "").idleInTransactionTimeout == .seconds(60))
        try await withTestDatabase { db in
            var configuration = PostgresPoolConfiguration(conninfo: db.conninfo)
            configuration.idleInTransactionTimeout = .milliseconds(200)
            let pool = PostgresPool(configuration: configuration, logger: testLogger)
            let setting = try await pool.withConnection { connection in
                try await connection.query("SELECT current_setting('idle_in_transaction_session_timeout') AS t").first?.decode("t", as: String.self)
            }
            #expect(setting == "200ms")
            await #expect(throws: (any Error).self) {
                try await pool.withConnection { connection in
                    try await connection.simpleQuery("BEGIN")
                    try await Task.sleep(for: .seconds(1))
                    try await connection.simpleQuery("SELECT 1")
                }
            }
            // The pool replaces the ended connection.
            #expect(try await pool.withConnection { try await $0.query("SELECT 1 AS one").first?.decode("one", as: Int.self) } == 1)
            await pool.shutdown()
        }
    }

    @Test func shutdownFailsWaitersAndLaterAcquires() async throws {
        try await withTestDatabase { db in
            var configuration = PostgresPoolConfiguration(conninfo: db.conninfo)
            configuration.maxConnections = 1
            configuration.acquireTimeout = .seconds(60)
            let pool = PostgresPool(configuration: configuration, logger: testLogger)
            try await pool.withConnection { _ in
                let waiter = Task { try await pool.withConnection { _ in } }
                try await waitUntil("a waiter to queue") { pool.statistics.waiting == 1 }
                await pool.shutdown()
                await expectPostgresError(.poolClosed) { try await waiter.value }
            }
            // The connection that was in use is closed on release, not pooled.
            #expect(pool.statistics.total == 0)
            await expectPostgresError(.poolClosed) { try await pool.query("SELECT 1") }
        }
    }

    @Test func runReturnsAndClosesThePoolWhenCancelled() async throws {
        try await withTestDatabase { db in
            let pool = PostgresPool(configuration: PostgresPoolConfiguration(conninfo: db.conninfo), logger: testLogger)
            try await pool.query("SELECT 1")
            #expect(pool.statistics.idle == 1)
            let running = Task { try await pool.run() }
            running.cancel()
            try await withTimeout("run() to return") { try await running.value }
            #expect(pool.statistics.total == 0)
            await expectPostgresError(.poolClosed) { try await pool.query("SELECT 1") }
        }
    }

    @Test func cancelledWaiterLeavesTheQueue() async throws {
        try await withTestDatabase { db in
            try await db.withPool({
                $0.maxConnections = 1
                $0.acquireTimeout = .seconds(60)
            }) { pool in
                try await pool.withConnection { _ in
                    let waiter = Task { try await pool.withConnection { _ in } }
                    try await waitUntil("a waiter to queue") { pool.statistics.waiting == 1 }
                    waiter.cancel()
                    await #expect(throws: CancellationError.self) { try await waiter.value }
                    #expect(pool.statistics.waiting == 0)
                }
                #expect(pool.statistics == PostgresPoolStatistics(inUse: 0, idle: 1, waiting: 0, total: 1))
            }
        }
    }

    /// Kills a backend from a separate connection and waits until it is really gone.
    private func terminate(_ pid: Int32, db: TestDatabase) async throws {
        try await db.withConnection { admin in
            let killed = try await admin.query("SELECT pg_terminate_backend(\(pid)) AS ok")
            #expect(try killed.first?.decode("ok", as: Bool.self) == true)
            try await waitUntil("backend \(pid) to exit") {
                try await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = \(pid)").isEmpty
            }
        }
    }
}

/// Compile-time check that actor code can use the pool with closures touching actor state
/// (withConnection/withTransaction run the closure on the caller's isolation).
private actor PIDRecorder {
    let pool: PostgresPool
    var seen: [Int32] = []

    init(pool: PostgresPool) {
        self.pool = pool
    }

    func record() async throws {
        try await pool.withConnection { connection in
            seen.append(connection.backendPID)
        }
        try await pool.withTransaction { connection in
            let rows = try await connection.query("SELECT pg_backend_pid() AS pid")
            seen.append(try rows[0].decode("pid", as: Int32.self))
        }
    }
}

@Suite struct PoolIsolationTests {
    @Test func actorsCanUseThePoolWithIsolatedClosures() async throws {
        try await withTestDatabase { db in
            try await db.withPool({ $0.maxConnections = 1 }) { pool in
                let recorder = PIDRecorder(pool: pool)
                try await recorder.record()
                let seen = await recorder.seen
                #expect(seen.count == 2)
                #expect(Set(seen).count == 1)
            }
        }
    }

    @MainActor
    @Test func mainActorCanUseThePool() async throws {
        try await withTestDatabase { db in
            try await db.withPool { pool in
                var local = 0
                try await pool.withConnection { _ in local += 1 }
                #expect(local == 1)
            }
        }
    }
}
