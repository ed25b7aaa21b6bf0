import Foundation

/// Mean time to acknowledge (MTTA) and to resolve (MTTR) over a set of alerts.
///
/// * MTTA averages `acknowledgedAt − triggeredAt` over the alerts that were acknowledged. An
///   alert resolved without an acknowledgement was never acknowledged and is left out, rather
///   than counted as acknowledged at its resolve time.
/// * MTTR averages `resolvedAt − triggeredAt` over the resolved alerts, acknowledged or not.
/// * A timestamp before `triggeredAt` (clock skew between replicas) counts as 0 seconds.
/// * nil when no alert qualifies: "no data", not 0 s.
public struct AlertResponseTimes: Sendable, Equatable {
    public var mttaSeconds: Double?
    public var mttrSeconds: Double?
    public var acknowledgedCount: Int
    public var resolvedCount: Int

    public init(mttaSeconds: Double?, mttrSeconds: Double?, acknowledgedCount: Int, resolvedCount: Int) {
        self.mttaSeconds = mttaSeconds
        self.mttrSeconds = mttrSeconds
        self.acknowledgedCount = acknowledgedCount
        self.resolvedCount = resolvedCount
    }

    public static func compute(_ alerts: [(triggeredAt: Date, acknowledgedAt: Date?, resolvedAt: Date?)]) -> AlertResponseTimes {
        var ackTotal = 0.0, ackCount = 0, resolveTotal = 0.0, resolveCount = 0
        for alert in alerts {
            if let at = alert.acknowledgedAt {
                ackTotal += max(at.timeIntervalSince(alert.triggeredAt), 0)
                ackCount += 1
            }
            if let at = alert.resolvedAt {
                resolveTotal += max(at.timeIntervalSince(alert.triggeredAt), 0)
                resolveCount += 1
            }
        }
        return AlertResponseTimes(mttaSeconds: ackCount > 0 ? ackTotal / Double(ackCount) : nil,
                                  mttrSeconds: resolveCount > 0 ? resolveTotal / Double(resolveCount) : nil,
                                  acknowledgedCount: ackCount, resolvedCount: resolveCount)
    }
}
