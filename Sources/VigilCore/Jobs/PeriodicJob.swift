import Foundation

/// A job enqueued on a cron schedule, defined in code. Every worker process runs the scheduler
/// with the same list; the (name, tick) ledger makes each tick enqueue once.
public struct PeriodicJob: Sendable, Equatable {
    /// Unique among periodic jobs; the ledger key (keep it stable across releases).
    public var name: String
    public var cron: CronExpression
    public var timeZone: TimeZone
    /// The job kind enqueued at each tick, its arguments as JSON, and its options.
    public var kind: String
    public var argsJSON: String
    public var priority: Int16
    public var maxAttempts: Int

    /// Enqueues `args` at each tick with its kind's default options.
    public init<Args: JobArgs>(name: String, cron: CronExpression, timeZone: TimeZone = TimeZone(identifier: "UTC")!, args: Args) {
        // Schedules are constants in code: arguments that cannot be encoded are a programming error.
        let argsJSON: String
        do { argsJSON = try JobArgsCoding.encode(args) } catch { preconditionFailure("periodic job \(name): \(error)") }
        self.init(name: name, cron: cron, timeZone: timeZone, kind: Args.kind, argsJSON: argsJSON,
                  priority: Args.defaultOptions.priority, maxAttempts: Args.defaultOptions.maxAttempts)
    }

    /// A schedule for a kind without an argument type (tests).
    public init(name: String, cron: CronExpression, timeZone: TimeZone = TimeZone(identifier: "UTC")!, kind: String,
                argsJSON: String = "{}", priority: Int16 = 0, maxAttempts: Int = 20) {
        self.name = name
        self.cron = cron
        self.timeZone = timeZone
        self.kind = kind
        self.argsJSON = argsJSON
        self.priority = priority
        self.maxAttempts = maxAttempts
    }

    /// The tick to enqueue now, if any: the latest fire time at or before `now`, when it is later
    /// than the last enqueued tick (or nothing was enqueued yet). After downtime this is only the
    /// latest missed tick — missed ticks are caught up once, not once each.
    public static func dueTick(for job: PeriodicJob, now: Date, lastEnqueued: Date?) -> Date? {
        guard let tick = CronExpression.latestTick(of: job.cron, atOrBefore: now, in: job.timeZone) else { return nil }
        if let lastEnqueued, tick <= lastEnqueued { return nil }
        return tick
    }

    /// The unique key of the job enqueued for `tick`: `schedule:<name>:<tick, ISO 8601 UTC>`.
    public static func uniqueKey(name: String, tick: Date) -> String {
        "schedule:\(name):\(tick.formatted(.iso8601))"
    }
}
