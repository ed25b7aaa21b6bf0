import Foundation

/// A per-workspace ingest quota in points per minute, as a token bucket: the bucket holds a
/// minute's allowance and refills continuously, so a client may burst up to its quota and is
/// then held to the steady rate. A request is admitted whole or refused whole.
public struct IngestQuota: Sendable, Equatable {
    public let pointsPerMinute: Int
    private var available: Double
    private var updatedAt: Date

    public init(pointsPerMinute: Int, now: Date) {
        self.pointsPerMinute = pointsPerMinute
        self.available = Double(pointsPerMinute)
        self.updatedAt = now
    }

    public enum Decision: Sendable, Equatable {
        case admitted
        /// Refused; the request fits after this many whole seconds (Retry-After).
        case refused(retryAfterSeconds: Int)
    }

    /// Admits `points` if the bucket holds them, taking them out; otherwise leaves it unchanged.
    public mutating func admit(_ points: Int, now: Date) -> Decision {
        let rate = Double(pointsPerMinute) / 60
        let elapsed = max(0, now.timeIntervalSince(updatedAt))
        available = min(Double(pointsPerMinute), available + elapsed * rate)
        updatedAt = now
        let wanted = Double(points)
        if wanted <= available {
            available -= wanted
            return .admitted
        }
        // A request larger than the whole allowance can never fit: wait a full minute and split it.
        let missing = min(wanted, Double(pointsPerMinute)) - available
        return .refused(retryAfterSeconds: max(1, Int((missing / rate).rounded(.up))))
    }
}
