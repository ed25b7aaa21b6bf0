/// Parsing and the week/month arithmetic that reports and KPI periods name days by.
extension CivilDate {
    /// Parses exactly `YYYY-MM-DD` (query parameters such as `?from=2025-03-01`); nil otherwise.
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// The Monday of this date's ISO week.
    public var startOfISOWeek: CivilDate { adding(days: 1 - isoWeekday) }

    /// The first of this date's month.
    public var startOfMonth: CivilDate { CivilDate(dayNumber: dayNumber - day + 1) }

    /// The first of the next month.
    public var startOfNextMonth: CivilDate { startOfMonth.adding(days: Self.daysIn(year: year, month: month)) }

    /// ISO 8601 week-numbering year and week (the week belongs to the year of its Thursday).
    public var isoWeek: (year: Int, week: Int) {
        let thursday = adding(days: 4 - isoWeekday)
        let january1 = Self.dayNumber(year: thursday.year, month: 1, day: 1)
        return (thursday.year, (thursday.dayNumber - january1) / 7 + 1)
    }
}
