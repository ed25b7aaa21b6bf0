import Foundation
import VigilCore

/// The current time, injectable so expiry and retention decisions can be tested.
public struct WallClock: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    /// Now, truncated to PostgreSQL's microsecond resolution so values round-trip exactly.
    public func currentMicrosecondTime() -> Date {
        Date(microsecondsSince1970: now().microsecondsSince1970)
    }
}
