import Foundation

/// Which rollup rows answer a time window [start, end): hour rows for the whole hours inside
/// it, minute rows for the edges. `start` and `end` must be minute-aligned (queries align
/// windows to minutes), so the rows cover exactly the points in the window.
public struct RollupPlan: Sendable, Equatable {
    /// Hour buckets with start in this range (nil: none).
    public var hours: Range<Date>?
    /// Minute buckets with start in these ranges.
    public var minutes: [Range<Date>]

    public init(hours: Range<Date>?, minutes: [Range<Date>]) {
        self.hours = hours
        self.minutes = minutes
    }

    /// No rows to read (an empty window).
    public var isEmpty: Bool { hours == nil && minutes.isEmpty }

    /// `useHours` false: minute rows only (needed when buckets narrower than an hour must not
    /// straddle an hour row).
    public static func covering(start: Date, end: Date, useHours: Bool = true) -> RollupPlan {
        guard start < end else { return RollupPlan(hours: nil, minutes: []) }
        let hour = RollupResolution.hour
        let firstWholeHour = hour.bucketStart(start) == start ? start : hour.bucketStart(start).addingTimeInterval(3600)
        let lastWholeHourEnd = hour.bucketStart(end)
        guard useHours, firstWholeHour < lastWholeHourEnd else {
            return RollupPlan(hours: nil, minutes: [start..<end])
        }
        var minutes: [Range<Date>] = []
        if start < firstWholeHour { minutes.append(start..<firstWholeHour) }
        if lastWholeHourEnd < end { minutes.append(lastWholeHourEnd..<end) }
        return RollupPlan(hours: firstWholeHour..<lastWholeHourEnd, minutes: minutes)
    }
}

/// A query window: the last `minutes` whole minutes plus the current, partial minute, so a
/// point ingested a second ago is already counted.
public struct MetricWindow: Sendable, Equatable {
    public static let maxMinutes = 90 * 24 * 60

    public var minutes: Int
    public var start: Date
    /// Exclusive; the end of the current minute.
    public var end: Date

    public init(minutes: Int, now: Date) {
        self.minutes = minutes
        let currentMinute = RollupResolution.minute.bucketStart(now)
        self.end = currentMinute.addingTimeInterval(60)
        self.start = currentMinute.addingTimeInterval(-Double(minutes) * 60)
    }

    public static func validate(minutes: Int?, field: String = "window", default fallback: Int = 60) throws(ValidationFailure) -> Int {
        let value = minutes ?? fallback
        guard (1...maxMinutes).contains(value) else {
            throw ValidationFailure(field: field, message: "\(field) must be between 1 and \(maxMinutes) minutes (90 days)")
        }
        return value
    }
}
