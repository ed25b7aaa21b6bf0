import Foundation
import Synchronization

/// A clock for tests that need time to pass without waiting for it: it reads the real time plus
/// an offset that `advance(by:)` moves forward. It keeps running (rather than standing still)
/// because the database's own `now()` keeps running too, and because rows written in one test
/// still need distinct, ordered timestamps. Hand `now` to `WallClock(now:)`.
public final class TestClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    public init() {}

    public var now: Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    /// Moves this clock's time forward by `seconds`, at once.
    public func advance(by seconds: TimeInterval) {
        precondition(seconds >= 0, "a test clock only moves forward")
        offset.withLock { $0 += seconds }
    }
}
