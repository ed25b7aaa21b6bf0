/// A calendar date with no time zone (proleptic Gregorian): the name of a day.
///
/// Arithmetic runs on a day number (days since 1970-01-01, negative before) with Howard
/// Hinnant's `days_from_civil` / `civil_from_days`: integers only, no `Calendar`, no locale, so
/// the answer never depends on a platform's calendar implementation. Every timestamp formatter,
/// parser, the cron scheduler and the KPI calendar use this one copy.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// nil for dates that do not exist (2025-02-29, month 13, day 0).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(year: year, month: month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `dayNumber` days after 1970-01-01 (Hinnant's `civil_from_days`).
    public init(dayNumber: Int) {
        let z = dayNumber + 719_468  // shift the epoch to 0000-03-01, so leap days end a year
        let era = Self.floorDiv(z, 146_097)  // 400-year eras of 146,097 days
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // March-based
        let mp = (5 * dayOfYear + 2) / 153
        let month = mp < 10 ? mp + 3 : mp - 9
        self.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = dayOfYear - (153 * mp + 2) / 5 + 1
    }

    /// Days since 1970-01-01 (negative before).
    public var dayNumber: Int { Self.dayNumber(year: year, month: month, day: day) }

    /// Days since 1970-01-01 for any field values (Hinnant's `days_from_civil`), unchecked:
    /// parsers that validate ranges themselves call this without building a date. A day past the
    /// month's end counts on into the next month.
    public static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// 0 = Sunday … 6 = Saturday, the numbering of cron and RFC 5322 (1970-01-01 was a Thursday).
    public var weekday: Int { Self.floorMod(dayNumber + 4, 7) }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int { Self.floorMod(dayNumber + 3, 7) + 1 }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// 28–31; `month` must be 1–12.
    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `2025-03-30` (years below 1000 zero-padded to four digits, negative ones signed).
    public var description: String {
        DecimalText.padded(year, width: 4) + "-" + DecimalText.padded(month, width: 2) + "-" + DecimalText.padded(day, width: 2)
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    // Rounding towards negative infinity: dates before 1970 have negative day numbers.
    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    static func floorMod(_ a: Int, _ b: Int) -> Int { a - floorDiv(a, b) * b }
}
