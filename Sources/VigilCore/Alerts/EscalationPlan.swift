import Foundation

/// A position in an escalation policy: which pass through the levels, and which level.
/// Stored with the escalation job so the worker knows what to notify and what comes next.
public struct EscalationStep: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var loop: Int
    public var level: Int

    public init(loop: Int, level: Int) {
        self.loop = loop
        self.level = level
    }

    public static func < (lhs: EscalationStep, rhs: EscalationStep) -> Bool {
        (lhs.loop, lhs.level) < (rhs.loop, rhs.level)
    }

    public var description: String { "loop \(loop) level \(level)" }
}

/// A step and the moment it is due: what the service turns into a worker job.
public struct ScheduledEscalation: Sendable, Equatable {
    public var step: EscalationStep
    public var fireAt: Date

    public init(step: EscalationStep, fireAt: Date) {
        self.step = step
        self.fireAt = fireAt
    }
}

/// Pure scheduling over a policy snapshot. The worker runs one step at a time: when a step's
/// job fires it notifies `channels(for:)`, then enqueues `next(after: step, from: now)` in the
/// same transaction, so no timer lives in memory and a restart loses nothing. Anchoring each
/// step on the previous one's actual firing (not on the trigger time) keeps the promised gap
/// between levels even when a job runs late.
public struct EscalationPlan: Sendable, Equatable {
    public var policy: EscalationPolicy

    public init(policy: EscalationPolicy) {
        self.policy = policy
    }

    /// The step after `step` (the first when nil), or nil when the policy is exhausted.
    public func step(after step: EscalationStep?) -> EscalationStep? {
        guard !policy.levels.isEmpty else { return nil }
        guard let step else { return EscalationStep(loop: 0, level: 0) }
        if step.level + 1 < policy.levels.count { return EscalationStep(loop: step.loop, level: step.level + 1) }
        return step.loop < policy.repeatLoops ? EscalationStep(loop: step.loop + 1, level: 0) : nil
    }

    /// The next step and when it is due: its level's delay after `anchor`, which is the trigger
    /// (or re-trigger, for `EscalationEffect.restart`) time when `step` is nil, else the time
    /// `step` fired. Nil when exhausted.
    ///
    /// For a manual escalate (`EscalationEffect.advance`), notify `step(after: current)` at
    /// once, then schedule `next(after:)` that step, from now.
    public func next(after step: EscalationStep?, from anchor: Date) -> ScheduledEscalation? {
        guard let following = self.step(after: step) else { return nil }
        let delay = TimeInterval(policy.levels[following.level].delayMinutes * 60)
        return ScheduledEscalation(step: following, fireAt: anchor.addingTimeInterval(delay))
    }

    /// The whole timeline if every job fires on time and nobody acknowledges: for the API's
    /// "what will happen" view and for tests.
    public func schedule(triggeredAt: Date) -> [ScheduledEscalation] {
        var result: [ScheduledEscalation] = []
        var current = next(after: nil, from: triggeredAt)
        while let scheduled = current {
            result.append(scheduled)
            current = next(after: scheduled.step, from: scheduled.fireAt)
        }
        return result
    }

    /// The channels to notify at `step` (empty for a step outside the policy).
    public func channels(for step: EscalationStep) -> [String] {
        policy.levels.indices.contains(step.level) && (0...policy.repeatLoops).contains(step.loop)
            ? policy.levels[step.level].channelIDs : []
    }

    /// When an acknowledgement made at `acknowledgedAt` times out, if the policy says so.
    public func ackTimeoutDeadline(acknowledgedAt: Date) -> Date? {
        policy.ackTimeoutMinutes.map { acknowledgedAt.addingTimeInterval(TimeInterval($0 * 60)) }
    }
}
