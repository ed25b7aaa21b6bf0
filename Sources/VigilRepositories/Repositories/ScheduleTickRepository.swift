import Foundation
import PostgresClient

/// The scheduler's ledger of enqueued ticks (migration 0003). A platform table: works in any
/// transaction (`Database.platform` or `inWorkspace`).
public struct ScheduleTickRepository: Sendable {
    public init() {}

    /// Records that `schedule`'s `tick` is being enqueued; true if this caller inserted the row,
    /// false if it already existed (another worker claimed it, or it was enqueued before). Run
    /// it in the enqueueing transaction: the claim commits or rolls back with the job. A
    /// concurrent claimer of the same tick waits for this transaction, then gets false on
    /// commit or true on rollback.
    public func claimTick(schedule: String, tick: Date, on connection: Transaction) async throws -> Bool {
        let rows = try await connection.query("""
            INSERT INTO schedule_ticks (schedule, tick) VALUES (\(schedule), \(tick))
            ON CONFLICT (schedule, tick) DO NOTHING
            RETURNING tick
            """)
        return rows.first != nil
    }

    /// Stores the id of the job enqueued for a tick claimed in this transaction.
    public func recordJob(schedule: String, tick: Date, jobID: Int64, on connection: Transaction) async throws {
        try await connection.query("""
            UPDATE schedule_ticks SET job_id = \(jobID) WHERE schedule = \(schedule) AND tick = \(tick)
            """)
    }

    /// The latest tick recorded for `schedule`, or nil if none.
    public func latestTick(schedule: String, on connection: Transaction) async throws -> Date? {
        try await connection.query("SELECT max(tick) AS tick FROM schedule_ticks WHERE schedule = \(schedule)")
            .first?.decode("tick", as: Date?.self) ?? nil
    }

    /// Deletes tick rows older than `cutoff`, keeping each schedule's latest row (which is what
    /// `latestTick` reads, so pruning can never cause a tick to be enqueued again). Returns the
    /// number deleted.
    @discardableResult
    public func prune(olderThan cutoff: Date, on connection: Transaction) async throws -> Int {
        let rows = try await connection.query("""
            WITH deleted AS (
                DELETE FROM schedule_ticks t
                 WHERE t.tick < \(cutoff)
                   AND t.tick < (SELECT max(l.tick) FROM schedule_ticks l WHERE l.schedule = t.schedule)
                RETURNING 1
            )
            SELECT count(*)::integer AS n FROM deleted
            """)
        return try rows.first?.decode("n", as: Int.self) ?? 0
    }
}
