import Foundation

/// When a workspace's digest goes out: daily or weekly, at a local hour in its time zone, to
/// chosen notification channels (email and webhook).
///
/// Send times follow the cron scheduler's fixed-time DST rules (it *is* a cron expression,
/// `0 <hour> * * <weekday|*>`): an hour skipped by a spring-forward gap sends at the first
/// instant after the gap (02:00 on Berlin's March change sends at 03:00 CEST), and an hour
/// repeated by a fall-back overlap sends once, at its first occurrence.
public struct DigestSchedule: Sendable, Equatable, Codable {
    public enum Frequency: Sendable, Hashable {
        case daily
        /// On an ISO weekday: 1 = Monday … 7 = Sunday.
        case weekly(weekday: Int)

        public var name: String {
            switch self {
            case .daily: "daily"
            case .weekly: "weekly"
            }
        }

        /// Days one digest covers.
        public var days: Int {
            switch self {
            case .daily: 1
            case .weekly: 7
            }
        }
    }

    public var frequency: Frequency
    /// 0…23, local time.
    public var localHour: Int
    /// An IANA zone, normally the workspace's.
    public var timeZone: String
    public var channelIDs: [UUID]

    public static let maxChannels = 20

    public init(frequency: Frequency, localHour: Int, timeZone: String, channelIDs: [UUID]) {
        self.frequency = frequency
        self.localHour = localHour
        self.timeZone = timeZone
        self.channelIDs = channelIDs
    }

    public func validate() -> ValidationFailure? {
        if case .weekly(let weekday) = frequency, !(1...7).contains(weekday) {
            return ValidationFailure(field: "weekday", message: "weekday must be 1 (Monday) to 7 (Sunday)")
        }
        if !(0...23).contains(localHour) {
            return ValidationFailure(field: "local_hour", message: "local_hour must be 0 to 23")
        }
        if TimeZone(identifier: timeZone) == nil {
            return ValidationFailure(field: "time_zone", message: "'\(timeZone.prefix(64))' is not an IANA time zone")
        }
        if channelIDs.isEmpty || channelIDs.count > Self.maxChannels {
            return ValidationFailure(field: "channel_ids", message: "channel_ids needs 1 to \(Self.maxChannels) channels")
        }
        if Set(channelIDs).count != channelIDs.count {
            return ValidationFailure(field: "channel_ids", message: "channel_ids lists a channel twice")
        }
        return nil
    }

    /// The schedule as a cron expression in `timeZone`: what a periodic job would run.
    public var cronExpression: String {
        switch frequency {
        case .daily: "0 \(localHour) * * *"
        case .weekly(let weekday): "0 \(localHour) * * \(weekday % 7)"  // cron: 0 = Sunday
        }
    }

    /// The first send time strictly after `instant`; nil when the hour, weekday or zone is
    /// invalid (channels do not matter for timing).
    public func nextSendTime(after instant: Date) -> Date? {
        guard let (cron, zone) = timing() else { return nil }
        return cron.nextFire(after: instant, in: zone)
    }

    /// The latest send time at or before `instant` (the tick to catch up after downtime).
    public func latestSendTime(atOrBefore instant: Date) -> Date? {
        guard let (cron, zone) = timing() else { return nil }
        return CronExpression.latestTick(of: cron, atOrBefore: instant, in: zone)
    }

    private func timing() -> (CronExpression, TimeZone)? {
        if case .weekly(let weekday) = frequency, !(1...7).contains(weekday) { return nil }
        guard (0...23).contains(localHour), let zone = TimeZone(identifier: timeZone),
              let cron = try? CronExpression(parsing: cronExpression) else { return nil }
        return (cron, zone)
    }

    /// What a digest sent at `sendTime` covers: the whole local days just before the send
    /// time's local day — yesterday for a daily digest, the seven days before for a weekly one
    /// (for a Monday digest, exactly the previous ISO week). Whole days, so the numbers match
    /// the KPI day rollups, and the same days whatever hour the digest goes out.
    /// nil for an unknown time zone.
    public func period(for sendTime: Date) -> DigestPeriod? {
        guard let calendar = PeriodCalendar(identifier: timeZone) else { return nil }
        let sendDay = calendar.localDate(of: sendTime)
        let firstDay = sendDay.adding(days: -frequency.days)
        return DigestPeriod(frequency: frequency.name, firstDay: firstDay, lastDay: sendDay.adding(days: -1),
                            start: calendar.startOfDay(firstDay), end: calendar.startOfDay(sendDay), timeZone: timeZone)
    }

    /// `GET …/digests/preview` without `?period=`: the period a digest sent now would cover.
    public func previewPeriod(now: Date) -> DigestPeriod? { period(for: now) }

    /// The key that makes a digest go out once per period, however many workers compute it:
    /// `digest:<workspace>:<frequency>:<first day>..<last day>`. It names the local days
    /// covered, not the send instant, so a changed send hour or a retried tick cannot send the
    /// same period twice.
    public static func uniqueKey(workspace: String, period: DigestPeriod) -> String {
        "digest:\(workspace):\(period.frequency):\(period.firstDay)..\(period.lastDay)"
    }

    enum CodingKeys: String, CodingKey {
        case frequency, weekday
        case localHour = "local_hour"
        case timeZone = "time_zone"
        case channelIDs = "channel_ids"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .frequency) {
        case "daily": frequency = .daily
        case "weekly": frequency = .weekly(weekday: try c.decode(Int.self, forKey: .weekday))
        default: throw DecodingError.dataCorruptedError(forKey: .frequency, in: c, debugDescription: "frequency is daily or weekly")
        }
        localHour = try c.decode(Int.self, forKey: .localHour)
        timeZone = try c.decode(String.self, forKey: .timeZone)
        channelIDs = try c.decode([UUID].self, forKey: .channelIDs)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(frequency.name, forKey: .frequency)
        if case .weekly(let weekday) = frequency { try c.encode(weekday, forKey: .weekday) }
        try c.encode(localHour, forKey: .localHour)
        try c.encode(timeZone, forKey: .timeZone)
        try c.encode(channelIDs, forKey: .channelIDs)
    }
}
