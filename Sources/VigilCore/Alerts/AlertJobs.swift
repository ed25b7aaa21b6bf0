import Foundation

/// The worker jobs alerting schedules, with their arguments. Every one is enqueued in the same
/// transaction as the change that needs it, so none is lost and none runs for a rolled-back change.
public enum AlertJobs {
    /// Deliver one notification (an alert event, or a storm summary) to one channel.
    /// Deliveries retry with the queue's exponential backoff (1 s doubling, full jitter): 12
    /// attempts wait up to about 68 minutes in all (about half that on average), so a receiver
    /// down for a deploy or a short outage still gets the notification. The timeout is longer
    /// than any channel's own (at most 60 s), so the transport times out first.
    public struct NotifyArgs: JobArgs, Equatable {
        public static let kind = "alert.notify"
        public static let defaultOptions = JobOptions(priority: 10, maxAttempts: 12, timeout: .seconds(90))

        public var alertID: UUID?
        public var channelID: UUID
        /// A `NotificationEvent` raw value, or `storm_summary`.
        public var event: String
        public var idempotencyKey: String
        public var escalationLevel: Int?
        public var stormMinute: Int64?

        public init(alertID: UUID?, channelID: UUID, event: String, idempotencyKey: String, escalationLevel: Int? = nil, stormMinute: Int64? = nil) {
            self.alertID = alertID; self.channelID = channelID; self.event = event; self.idempotencyKey = idempotencyKey
            self.escalationLevel = escalationLevel; self.stormMinute = stormMinute
        }

        enum CodingKeys: String, CodingKey {
            case event
            case alertID = "alert_id", channelID = "channel_id", idempotencyKey = "idempotency_key"
            case escalationLevel = "escalation_level", stormMinute = "storm_minute"
        }
    }

    /// Notify an escalation level, then schedule the next.
    public struct EscalateArgs: JobArgs, Equatable {
        public static let kind = "alert.escalate"
        public static let defaultOptions = JobOptions(priority: 10, maxAttempts: 10)

        public var alertID: UUID
        public var generation: Int
        public var loop: Int
        public var level: Int

        public init(alertID: UUID, generation: Int, step: EscalationStep) {
            self.alertID = alertID; self.generation = generation; self.loop = step.loop; self.level = step.level
        }

        public var step: EscalationStep { EscalationStep(loop: loop, level: level) }

        enum CodingKeys: String, CodingKey { case generation, loop, level, alertID = "alert_id" }
    }

    /// Re-trigger an acknowledged alert whose acknowledgement timed out.
    public struct AckTimeoutArgs: JobArgs, Equatable {
        public static let kind = "alert.ack_timeout"
        public static let defaultOptions = JobOptions(maxAttempts: 10)

        public var alertID: UUID
        public var generation: Int

        public init(alertID: UUID, generation: Int) { self.alertID = alertID; self.generation = generation }

        enum CodingKeys: String, CodingKey { case generation, alertID = "alert_id" }
    }

    /// Send the storm guard's summary for one minute.
    public struct StormSummaryArgs: JobArgs, Equatable {
        public static let kind = "alert.storm_summary"
        public static let defaultOptions = JobOptions(priority: 10, maxAttempts: 10)

        public var minute: Int64
        public init(minute: Int64) { self.minute = minute }
    }
}
