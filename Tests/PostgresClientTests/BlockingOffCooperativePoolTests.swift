import Foundation
import PostgresClient
import Testing

/// libpq blocks; if it blocked Swift's cooperative pool (one thread per core), at most
/// `activeProcessorCount` queries could be in flight and everything else would stall.
@Suite struct BlockingOffCooperativePoolTests {
    @Test func manyBlockedQueriesAreInFlightAtOnce() async throws {
        let concurrent = max(8, ProcessInfo.processInfo.activeProcessorCount + 4)
        try await withTestDatabase { db in
            try await db.withPool({
                $0.maxConnections = concurrent
                $0.acquireTimeout = .seconds(60)
                $0.statementTimeout = .seconds(60)  // bounds the damage if this test fails
            }) { pool in
                let lockKey = 4242
                let holder = try await db.connect()
                try await holder.query("SELECT pg_advisory_lock(\(lockKey))")

                // Each query blocks its connection's thread inside libpq until the lock is released.
                let blocked = Task {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for _ in 0..<concurrent {
                            group.addTask { try await pool.query("SELECT pg_advisory_xact_lock_shared(\(lockKey))") }
                        }
                        try await group.waitForAll()
                    }
                }

                // Observed from the server: every one of them is waiting on the lock at once,
                // while this task (on the cooperative pool) keeps running queries.
                try await waitUntil("\(concurrent) sessions waiting on the advisory lock", seconds: 30) {
                    let row = try #require(try await holder.query("""
                        SELECT count(*) AS n FROM pg_stat_activity
                        WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'
                        """).first)
                    return try row.decode("n", as: Int.self) == concurrent
                }
                #expect(pool.statistics.inUse == concurrent)

                try await holder.query("SELECT pg_advisory_unlock(\(lockKey))")
                try await withTimeout("blocked queries to finish", seconds: 30) { try await blocked.value }
                await holder.close()
            }
        }
    }
}
