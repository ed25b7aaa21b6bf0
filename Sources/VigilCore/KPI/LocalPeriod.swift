import Foundation
import VigilPrimitives

/// One period in a workspace's time zone: the local days `[firstDay, nextFirstDay)` as the
/// instants `[start, end)`. A day is usually 24 h, but 23 h or 25 h across DST changes.
public struct LocalPeriod: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var kind: KPIPeriod
    public var firstDay: LocalDate
    /// The first instant of the period (inclusive).
    public var start: Date
    /// The first instant of the next period (exclusive).
    public var end: Date

    public init(kind: KPIPeriod, firstDay: LocalDate, start: Date, end: Date) {
        self.kind = kind
        self.firstDay = firstDay
        self.start = start
        self.end = end
    }

    /// The last local day of the period.
    public var lastDay: LocalDate { kind.nextFirstDay(after: firstDay).adding(days: -1) }

    public var duration: TimeInterval { end.timeIntervalSince(start) }

    public func contains(_ instant: Date) -> Bool { start <= instant && instant < end }

    /// `2025-03-30` (day), `2025-W13` (ISO week), `2025-03` (month): stable names for keys,
    /// query parameters and rollup rows.
    public var label: String {
        switch kind {
        case .day: return firstDay.description
        case .week:
            let (year, week) = firstDay.isoWeek
            return DecimalText.padded(year, width: 4) + "-W" + DecimalText.padded(week, width: 2)
        case .month: return DecimalText.padded(firstDay.year, width: 4) + "-" + DecimalText.padded(firstDay.month, width: 2)
        }
    }

    public var description: String { "\(kind.rawValue) \(label)" }

    /// By start, then kind (a day sorts before the week and month starting with it).
    public static func < (a: LocalPeriod, b: LocalPeriod) -> Bool { (a.start, a.kind) < (b.start, b.kind) }
}
