import Foundation

/// The periods KPIs are read by (`?period=day|week|month`). Weeks are ISO weeks, Monday first.
public enum KPIPeriod: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case day, week, month

    private var order: Int {
        switch self {
        case .day: 0
        case .week: 1
        case .month: 2
        }
    }

    public static func < (a: KPIPeriod, b: KPIPeriod) -> Bool { a.order < b.order }

    /// The first local day of the period holding `date`.
    func firstDay(containing date: LocalDate) -> LocalDate {
        switch self {
        case .day: date
        case .week: date.startOfISOWeek
        case .month: date.startOfMonth
        }
    }

    /// The first local day of the next period, given this period's first day.
    func nextFirstDay(after firstDay: LocalDate) -> LocalDate {
        switch self {
        case .day: firstDay.adding(days: 1)
        case .week: firstDay.adding(days: 7)
        case .month: firstDay.startOfNextMonth
        }
    }
}
