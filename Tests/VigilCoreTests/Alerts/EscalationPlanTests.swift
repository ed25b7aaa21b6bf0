import Foundation
import Testing
import VigilCore

struct EscalationPlanTests {
    static let t0 = Date(timeIntervalSince1970: 1_735_689_600)
    typealias Level = EscalationPolicy.Level

    static func minutes(_ plan: EscalationPlan, from start: Date = t0) -> [String] {
        plan.schedule(triggeredAt: start).map { "\($0.step.loop).\($0.step.level)@\(Int($0.fireAt.timeIntervalSince(start) / 60))" }
    }

    /// Delays are waits after the previous notification; loops start over at level 0.
    @Test(arguments: [
        ([5], 0, ["0.0@5"]),
        ([0], 0, ["0.0@0"]),
        ([5, 10], 0, ["0.0@5", "0.1@15"]),
        ([5, 10, 15], 0, ["0.0@5", "0.1@15", "0.2@30"]),
        ([5, 10], 2, ["0.0@5", "0.1@15", "1.0@20", "1.1@30", "2.0@35", "2.1@45"]),
        ([0, 15], 1, ["0.0@0", "0.1@15", "1.0@15", "1.1@30"]),   // level-0 delay 0: same minute as the last level
        ([10, 0], 1, ["0.0@10", "0.1@10", "1.0@20", "1.1@20"]),  // delay 0 fans out with the previous level
    ])
    func timeline(delays: [Int], loops: Int, expected: [String]) {
        let policy = EscalationPolicy(levels: delays.map { Level(delayMinutes: $0, channelIDs: ["c\($0)"]) }, repeatLoops: loops)
        #expect(policy.validate() == nil)
        let plan = EscalationPlan(policy: policy)
        #expect(Self.minutes(plan) == expected)
        #expect(plan.schedule(triggeredAt: Self.t0).count == policy.stepCount)
    }

    @Test func nextIsAnchoredOnWhenThePreviousStepFired() {
        let plan = EscalationPlan(policy: EscalationPolicy(levels: [Level(delayMinutes: 5, channelIDs: ["a"]),
                                                                    Level(delayMinutes: 10, channelIDs: ["b"])], repeatLoops: 1))
        #expect(plan.next(after: nil, from: Self.t0) == ScheduledEscalation(step: .init(loop: 0, level: 0), fireAt: Self.t0 + 300))
        let late = Self.t0 + 420   // the level-0 job ran 2 minutes late
        #expect(plan.next(after: .init(loop: 0, level: 0), from: late) == ScheduledEscalation(step: .init(loop: 0, level: 1), fireAt: late + 600))
        #expect(plan.next(after: .init(loop: 0, level: 1), from: Self.t0)?.step == .init(loop: 1, level: 0))
        #expect(plan.next(after: .init(loop: 1, level: 1), from: Self.t0) == nil)          // exhausted
        #expect(plan.step(after: .init(loop: 5, level: 1)) == nil)
    }

    @Test func channelsAndAckTimeout() {
        let plan = EscalationPlan(policy: EscalationPolicy(levels: [Level(delayMinutes: 5, channelIDs: ["a", "b"]),
                                                                    Level(delayMinutes: 10, channelIDs: ["c"])],
                                                           repeatLoops: 1, ackTimeoutMinutes: 30))
        #expect(plan.channels(for: .init(loop: 1, level: 0)) == ["a", "b"])
        #expect(plan.channels(for: .init(loop: 0, level: 1)) == ["c"])
        #expect(plan.channels(for: .init(loop: 2, level: 0)) == [])
        #expect(plan.channels(for: .init(loop: 0, level: 2)) == [])
        #expect(plan.ackTimeoutDeadline(acknowledgedAt: Self.t0) == Self.t0 + 1800)
        #expect(EscalationPlan(policy: EscalationPolicy(levels: [Level(delayMinutes: 1, channelIDs: ["a"])]))
            .ackTimeoutDeadline(acknowledgedAt: Self.t0) == nil)
    }

    @Test func stepsOrder() {
        #expect(EscalationStep(loop: 0, level: 3) < EscalationStep(loop: 1, level: 0))
        #expect(EscalationStep(loop: 1, level: 0) < EscalationStep(loop: 1, level: 1))
    }

    @Test(arguments: [
        ([] as [Level], 0, nil as Int?, "levels"),
        ([Level(delayMinutes: -1, channelIDs: ["a"])], 0, nil, "levels[0].delay_minutes"),
        ([Level(delayMinutes: 10_081, channelIDs: ["a"])], 0, nil, "levels[0].delay_minutes"),
        ([Level(delayMinutes: 1, channelIDs: ["a"]), Level(delayMinutes: 1, channelIDs: [])], 0, nil, "levels[1].channel_ids"),
        ([Level(delayMinutes: 1, channelIDs: ["a"])], -1, nil, "repeat_loops"),
        ([Level(delayMinutes: 1, channelIDs: ["a"])], 11, nil, "repeat_loops"),
        ([Level(delayMinutes: 0, channelIDs: ["a"]), Level(delayMinutes: 0, channelIDs: ["b"])], 1, nil, "repeat_loops"),
        ([Level(delayMinutes: 1, channelIDs: ["a"])], 0, 0, "ack_timeout_minutes"),
        (Array(repeating: Level(delayMinutes: 1, channelIDs: ["a"]), count: 21), 0, nil, "levels"),
    ])
    func validation(levels: [Level], loops: Int, ackTimeout: Int?, field: String) {
        #expect(EscalationPolicy(levels: levels, repeatLoops: loops, ackTimeoutMinutes: ackTimeout).validate()?.field == field)
    }

    @Test(arguments: [(0, 0), (0, 10), (10_080, 10)])
    func validPolicies(delay: Int, loops: Int) {
        let levels = [Level(delayMinutes: delay, channelIDs: ["a"]), Level(delayMinutes: 5, channelIDs: ["b"])]
        #expect(EscalationPolicy(levels: levels, repeatLoops: loops, ackTimeoutMinutes: 60).validate() == nil)
    }

    @Test func snapshotRoundTripsAsJSON() throws {
        let policy = EscalationPolicy(levels: [Level(delayMinutes: 5, channelIDs: ["a"])], repeatLoops: 2, ackTimeoutMinutes: 30)
        let json = String(decoding: try JSONEncoder().encode(policy), as: UTF8.self)
        #expect(json.contains("\"delay_minutes\":5") && json.contains("\"repeat_loops\":2") && json.contains("\"ack_timeout_minutes\":30"))
        #expect(try JSONDecoder().decode(EscalationPolicy.self, from: Data(json.utf8)) == policy)
    }
}
