import Foundation

/// What a per-minute rate limit counts, per workspace.
public enum UsageMeter: Hashable, Sendable {
    case requests(ApiKeyRole)
    case ingestPoints
    case kpiEvents

    /// The stored name (`workspace_usage.meter`).
    public var name: String {
        switch self {
        case .requests(let role): return "requests_\(role.rawValue)"
        case .ingestPoints: return "ingest_points"
        case .kpiEvents: return "kpi_events"
        }
    }

    /// The limit that bounds this meter.
    public var limitName: WorkspaceLimitName {
        switch self {
        case .requests(.ingest): return .requestsPerMinuteIngest
        // Edge keys poll the blocklist: they share the viewer's (reading) budget.
        case .requests(.viewer), .requests(.edge): return .requestsPerMinuteViewer
        case .requests(.member): return .requestsPerMinuteMember
        case .requests(.admin): return .requestsPerMinuteAdmin
        case .ingestPoints: return .ingestPointsPerMinute
        case .kpiEvents: return .kpiEventsPerMinute
        }
    }

    public static let all: [UsageMeter] = ApiKeyRole.allCases.map { .requests($0) } + [.ingestPoints, .kpiEvents]
}

/// One API process's share of a workspace's per-minute allowance for one meter.
///
/// The allowance of a UTC minute lives in PostgreSQL (`workspace_usage`), the store every API
/// process shares. Asking it on every request would cost a round trip each, so a process takes
/// a *lease* of a slice of the allowance (a twentieth of it, or what one request needs) and
/// spends it locally. A grant is atomic and never exceeds what is left, so all processes
/// together never admit more than the limit; the price is that a process may be refused while
/// another still holds an unspent slice (at most one slice per process and minute).
public struct UsageLease: Sendable, Equatable {
    public private(set) var windowStart: Date
    public private(set) var remaining: Int
    /// The store granted nothing: the minute's allowance is gone, no need to ask again.
    public private(set) var exhausted: Bool
    /// A slice is being asked for. Requests arriving meanwhile ask for exactly what they need,
    /// not another slice, so a burst of concurrent requests cannot lease many slices at once
    /// and strand them unspent in one process.
    public private(set) var asking: Bool

    public init(windowStart: Date) {
        self.windowStart = windowStart
        self.remaining = 0
        self.exhausted = false
        self.asking = false
    }

    /// What spending `cost` now needs.
    public enum Step: Sendable, Equatable {
        /// Spent from the local slice.
        case spent
        /// Ask the store for this many more (`slice`: for the lease, else for this request
        /// alone), then call `granted`.
        case ask(Int, slice: Bool)
        /// Over the limit until the next minute.
        case refused(retryAfterSeconds: Int)
    }

    /// The UTC minute `now` falls in.
    public static func window(of now: Date) -> Date {
        Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 60).rounded(.down) * 60)
    }

    /// Whole seconds until the next minute opens (at least 1).
    public static func retryAfter(_ now: Date) -> Int {
        max(1, Int((window(of: now).addingTimeInterval(60).timeIntervalSince(now)).rounded(.up)))
    }

    /// The slice a process asks for at once: a twentieth of the limit, and at least what the
    /// request needs.
    public static func sliceSize(limit: Int, need: Int) -> Int {
        max(need, max(1, limit / 20))
    }

    /// Tries to spend `cost` at `now`; a new minute starts a fresh, empty lease.
    public mutating func spend(_ cost: Int, limit: Int, now: Date) -> Step {
        let window = Self.window(of: now)
        if window != windowStart { self = UsageLease(windowStart: window) }
        if cost > limit { return .refused(retryAfterSeconds: Self.retryAfter(now)) }
        if cost <= remaining {
            remaining -= cost
            return .spent
        }
        if exhausted { return .refused(retryAfterSeconds: Self.retryAfter(now)) }
        if asking { return .ask(cost, slice: false) }
        asking = true
        return .ask(Self.sliceSize(limit: limit, need: cost - remaining), slice: true)
    }

    /// The store granted `amount` for `window` to an ask of `spend`; spends `cost` from it if
    /// that now suffices.
    public mutating func granted(_ amount: Int, window: Date, cost: Int, slice: Bool, now: Date) -> Step {
        if window < windowStart {
            // A newer minute began while asking: the grant was counted in its own (past)
            // minute, so it pays for this request there and leaves the current lease alone.
            return cost <= amount ? .spent : .refused(retryAfterSeconds: Self.retryAfter(now))
        }
        if window > windowStart { self = UsageLease(windowStart: window) }
        if slice { asking = false }
        if amount == 0 { exhausted = true }
        if slice {
            remaining += amount
            if cost <= remaining {
                remaining -= cost
                return .spent
            }
        } else if cost <= amount {
            remaining += amount - cost
            return .spent
        } else {
            remaining += amount
        }
        // The store could not cover this request: what is left of the minute is below it.
        exhausted = true
        return .refused(retryAfterSeconds: Self.retryAfter(now))
    }

    /// The ask failed (the database did not answer): the next request may ask again.
    public mutating func askFailed(slice: Bool) {
        if slice { asking = false }
    }
}
