import Foundation

/// A token bucket of failed authentication attempts: it holds a minute's allowance and refills
/// continuously, so a source may burst up to its allowance and is then held to the steady rate.
/// Pure (time is passed in) so the limits can be table-tested without waiting.
///
/// Callers take a token *before* checking a key (many concurrent attempts must not all slip
/// through before the first failure is counted) and give it back when the key turns out good,
/// so only failures use up the allowance.
public struct FailureBucket: Sendable, Equatable {
    public let perMinute: Int
    private var available: Double
    private var updatedAt: Date

    public init(perMinute: Int, now: Date) {
        self.perMinute = max(1, perMinute)
        self.available = Double(self.perMinute)
        self.updatedAt = now
    }

    public enum Decision: Sendable, Equatable {
        case admitted
        /// Empty; one token is back after this many whole seconds (Retry-After, at least 1).
        case refused(retryAfterSeconds: Int)
    }

    private var ratePerSecond: Double { Double(perMinute) / 60 }

    private mutating func refill(now: Date) {
        let elapsed = max(0, now.timeIntervalSince(updatedAt))
        available = min(Double(perMinute), available + elapsed * ratePerSecond)
        updatedAt = max(updatedAt, now)
    }

    /// Takes one token if there is one; otherwise leaves the bucket unchanged.
    public mutating func take(now: Date) -> Decision {
        refill(now: now)
        if available >= 1 {
            available -= 1
            return .admitted
        }
        return .refused(retryAfterSeconds: max(1, Int(((1 - available) / ratePerSecond).rounded(.up))))
    }

    /// Returns a token taken for an attempt that succeeded.
    public mutating func giveBack(now: Date) {
        refill(now: now)
        available = min(Double(perMinute), available + 1)
    }

    /// Whether the bucket is back to its full allowance: such a bucket carries no state and may
    /// be forgotten (a new one starts full), which is what keeps the store bounded.
    public func isFull(now: Date) -> Bool {
        var copy = self
        copy.refill(now: now)
        return copy.available >= Double(perMinute)
    }

    /// When the bucket was last touched, for evicting the idlest buckets first.
    public var lastUpdate: Date { updatedAt }
}
