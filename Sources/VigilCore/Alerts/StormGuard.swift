import Foundation

/// Keeps an alert storm from burying operators: past `threshold` new alerts in one minute in a
/// workspace, individual notifications stop and a single summary goes out for that minute.
///
/// The caller gets `ordinal` (this alert is the n-th new one of the minute, from 1) from an
/// atomic per-(workspace, minute) counter in the database (`INSERT … ON CONFLICT DO UPDATE …
/// RETURNING`), so two replicas cannot both think they are the 10th.
public enum StormGuard {
    public static let defaultThreshold = 10

    public enum Decision: Sendable, Equatable {
        /// Notify this alert on its own.
        case notifyIndividually
        /// Record it but do not notify; `startsSummary` is true for the first suppressed alert
        /// of the minute, which enqueues the summary job (with a unique key per workspace and
        /// minute, so a retry cannot send two summaries).
        case suppressIntoSummary(startsSummary: Bool)
    }

    /// Alerts 1…threshold notify; from threshold + 1 on they are summarized. A threshold below
    /// 1 is treated as 1 (a workspace can make the guard strict, never switch notifications off).
    public static func decide(ordinal: Int, threshold: Int = defaultThreshold) -> Decision {
        let limit = max(threshold, 1)
        if ordinal <= limit { return .notifyIndividually }
        return .suppressIntoSummary(startsSummary: ordinal == limit + 1)
    }

    /// The counting interval: whole UTC minutes since the epoch, the counter's key.
    public static func minute(containing date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / 60).rounded(.down))
    }

    /// When the summary for `minute` is due: the end of that minute.
    public static func summaryDue(forMinute minute: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(minute + 1) * 60)
    }
}

/// The content of a storm summary: how many alerts were held back and which notification
/// groups they fell into, biggest first.
public struct StormSummary: Sendable, Equatable, Codable {
    public struct Group: Sendable, Equatable, Codable {
        public var key: String
        public var count: Int

        public init(key: String, count: Int) {
            self.key = key
            self.count = count
        }
    }

    public var totalCount: Int
    /// At most `top` groups, by count descending, ties by key in byte order, so the same input
    /// always renders the same message (and the same payload digest in the ledger).
    public var topGroups: [Group]
    /// Groups not listed in `topGroups`.
    public var otherGroupCount: Int

    /// `groupKeys` holds one entry per suppressed alert (from `NotificationGrouping.groupKey`).
    public init(groupKeys: [String], top: Int = 5) {
        var counts: [String: Int] = [:]
        for key in groupKeys { counts[key, default: 0] += 1 }
        let ordered = counts.map { Group(key: $0.key, count: $0.value) }.sorted {
            $0.count != $1.count ? $0.count > $1.count : utf8Precedes($0.key, $1.key)
        }
        totalCount = groupKeys.count
        topGroups = Array(ordered.prefix(max(top, 0)))
        otherGroupCount = ordered.count - topGroups.count
    }

    enum CodingKeys: String, CodingKey {
        case totalCount = "total_count"
        case topGroups = "top_groups"
        case otherGroupCount = "other_group_count"
    }
}
