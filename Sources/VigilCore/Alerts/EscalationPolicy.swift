/// Who to notify, and when, while an alert stays unacknowledged. Snapshotted into the alert
/// when it triggers (as JSON, hence `Codable`), so editing a policy never changes the
/// escalation of alerts already in flight.
///
/// A level's `delayMinutes` is the wait before notifying it, counted from the previous
/// notification of the policy (for the very first level, from the trigger). Relative delays
/// make a late worker job shift the rest of the chain instead of bunching levels up, and make
/// loops need no extra setting: after the last level, the policy starts over at level 0,
/// again waiting level 0's delay. The initial notification comes from routing, so level 0
/// usually has a delay (page the on-call again after 5 minutes, then the lead, …); a 0 delay
/// on level 0 in a looping policy re-notifies level 0 in the same minute as the last level.
public struct EscalationPolicy: Sendable, Equatable, Codable {
    public struct Level: Sendable, Equatable, Codable {
        public var delayMinutes: Int
        public var channelIDs: [String]

        public init(delayMinutes: Int, channelIDs: [String]) {
            self.delayMinutes = delayMinutes
            self.channelIDs = channelIDs
        }

        enum CodingKeys: String, CodingKey {
            case delayMinutes = "delay_minutes"
            case channelIDs = "channel_ids"
        }
    }

    public static let maxLevels = 20
    public static let delayRange = 0...10_080
    public static let repeatLoopsRange = 0...10
    public static let ackTimeoutRange = 1...10_080

    public var levels: [Level]
    /// Extra passes through the levels after the first: 0 walks them once.
    public var repeatLoops: Int
    /// After an acknowledgement, re-trigger the alert if it is still unresolved this much later.
    public var ackTimeoutMinutes: Int?

    public init(levels: [Level], repeatLoops: Int = 0, ackTimeoutMinutes: Int? = nil) {
        self.levels = levels
        self.repeatLoops = repeatLoops
        self.ackTimeoutMinutes = ackTimeoutMinutes
    }

    /// The first problem, field by field (delays need not be ordered: they are relative; at
    /// most a week each, so a typo in minutes cannot schedule a job years ahead).
    public func validate() -> ValidationFailure? {
        if levels.isEmpty { return ValidationFailure(field: "levels", message: "a policy needs at least one level") }
        if levels.count > Self.maxLevels {
            return ValidationFailure(field: "levels", message: "at most \(Self.maxLevels) levels")
        }
        for (i, level) in levels.enumerated() {
            if !Self.delayRange.contains(level.delayMinutes) {
                return ValidationFailure(field: "levels[\(i)].delay_minutes",
                                         message: "delay must be between 0 and \(Self.delayRange.upperBound) minutes")
            }
            if level.channelIDs.isEmpty {
                return ValidationFailure(field: "levels[\(i)].channel_ids", message: "a level needs at least one channel")
            }
        }
        if !Self.repeatLoopsRange.contains(repeatLoops) {
            return ValidationFailure(field: "repeat_loops", message: "repeat_loops must be between 0 and 10")
        }
        if repeatLoops > 0, cycleMinutes == 0 {
            return ValidationFailure(field: "repeat_loops",
                                     message: "a repeating policy needs a non-zero delay somewhere, or every loop fires at once")
        }
        if let ackTimeoutMinutes, !Self.ackTimeoutRange.contains(ackTimeoutMinutes) {
            return ValidationFailure(field: "ack_timeout_minutes",
                                     message: "ack_timeout_minutes must be between 1 and \(Self.ackTimeoutRange.upperBound)")
        }
        return nil
    }

    /// One pass through all levels.
    public var cycleMinutes: Int { levels.reduce(0) { $0 + $1.delayMinutes } }

    /// Every step of the policy, loop by loop: `levels.count * (repeatLoops + 1)`.
    public var stepCount: Int { levels.count * (repeatLoops + 1) }

    enum CodingKeys: String, CodingKey {
        case levels
        case repeatLoops = "repeat_loops"
        case ackTimeoutMinutes = "ack_timeout_minutes"
    }
}
