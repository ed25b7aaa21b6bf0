/// Retry delays: exponential with "full jitter" (a uniformly random delay between zero and the
/// exponential ceiling), so many jobs failing together do not retry in lockstep.
///
/// ceiling(attempt) = min(cap, base · 2^(attempt−1)) for attempt ≥ 1 (the attempt that failed).
public struct JobBackoff: Sendable, Equatable {
    public var base: Duration
    public var cap: Duration

    public init(base: Duration = .seconds(1), cap: Duration = .seconds(3600)) {
        precondition(base > .zero && cap >= base, "backoff needs 0 < base <= cap")
        self.base = base
        self.cap = cap
    }

    /// The largest delay after the given failed attempt (1-based; values below 1 count as 1).
    public func ceiling(afterAttempt attempt: Int) -> Duration {
        let exponent = max(0, attempt - 1)
        // 2^62 would overflow Duration arithmetic long before the cap matters: stop doubling
        // once the cap is reached.
        var delay = base
        var step = 0
        while step < exponent && delay < cap {
            delay = delay * 2
            step += 1
        }
        return min(delay, cap)
    }

    /// The delay after the given failed attempt. `unitRandom` must return a value in [0, 1)
    /// (clamped otherwise); inject a constant in tests.
    public func delay(afterAttempt attempt: Int, unitRandom: () -> Double) -> Duration {
        let fraction = min(max(unitRandom(), 0), 1)
        return ceiling(afterAttempt: attempt) * fraction
    }

    /// Milliseconds, rounded down: what the repository sends to the database.
    public static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
