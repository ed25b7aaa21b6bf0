import Foundation

/// The local days a digest covers, `[start, end)` as instants.
public struct DigestPeriod: Sendable, Hashable {
    /// `daily` or `weekly`.
    public var frequency: String
    public var firstDay: LocalDate
    /// Inclusive.
    public var lastDay: LocalDate
    public var start: Date
    public var end: Date
    public var timeZone: String

    public init(frequency: String, firstDay: LocalDate, lastDay: LocalDate, start: Date, end: Date, timeZone: String) {
        self.frequency = frequency
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.start = start
        self.end = end
        self.timeZone = timeZone
    }

    /// `2025-03-30` for one day, `2025-03-24 – 2025-03-30` for several.
    public var label: String {
        firstDay == lastDay ? firstDay.description : "\(firstDay) – \(lastDay)"
    }

    /// The covered local days, oldest first (for per-day sparklines).
    public var days: [LocalDate] {
        guard firstDay <= lastDay else { return [] }
        return (0...(lastDay.dayNumber - firstDay.dayNumber)).map { firstDay.adding(days: $0) }
    }
}
