import Foundation
import VigilCore
import VigilRepositories

/// What one scheduler check did for one periodic job.
public enum ScheduleOutcome: Sendable, Equatable {
    /// No tick is due (the latest tick was already enqueued, or the expression never fires).
    case notDue
    /// This process claimed `tick` and enqueued its job (`jobID` nil when a pending job with the
    /// same unique key already existed).
    case enqueued(tick: Date, jobID: Int64?)
    /// Another process claimed `tick` first.
    case claimedElsewhere(tick: Date)
    /// The claim-and-enqueue transaction failed and rolled back; the tick is retried next check.
    case failed(tick: Date?, error: String)
}

/// The scheduler's use of the database: each due tick is claimed through the
/// `schedule_ticks` primary key in the same transaction as its job, so a tick is enqueued
/// exactly once however many schedulers race, and a failed enqueue leaves no claim behind.
public struct PeriodicJobScheduling: Sendable {
    let database: Database
    private let ticks = ScheduleTickRepository()
    private let queue = JobQueue()

    public init(database: Database) {
        self.database = database
    }

    /// Claims and enqueues the due tick of `job` at `now`, if any. Throws when the
    /// transaction fails (nothing is claimed then); `dueTick` is set before the attempt.
    public func enqueueIfDue(_ job: PeriodicJob, now: Date, dueTick: inout Date?) async throws -> ScheduleOutcome {
        let last = try await database.platform { try await ticks.latestTick(schedule: job.name, on: $0) }
        guard let tick = PeriodicJob.dueTick(for: job, now: now, lastEnqueued: last) else { return .notDue }
        dueTick = tick
        let newJob = NewJob(workspaceID: platformJobWorkspaceID, kind: job.kind, argsJSON: job.argsJSON, priority: job.priority,
                            maxAttempts: job.maxAttempts, uniqueKey: PeriodicJob.uniqueKey(name: job.name, tick: tick),
                            correlationID: nil)
        return try await database.inWorkspace(platformJobWorkspaceID) { transaction -> ScheduleOutcome in
            guard try await ticks.claimTick(schedule: job.name, tick: tick, on: transaction) else {
                return .claimedElsewhere(tick: tick)
            }
            let id = try await queue.enqueue(newJob, on: transaction)
            if let id { try await ticks.recordJob(schedule: job.name, tick: tick, jobID: id, on: transaction) }
            return .enqueued(tick: tick, jobID: id)
        }
    }
}
