import Foundation
import Testing
import VigilPrimitives

/// The one civil-date implementation behind every formatter, parser, the cron scheduler and the
/// KPI calendar. Cross-checked against Foundation's Gregorian calendar, an independent
/// implementation, over a wide range (pre-1970, century leap rules).
struct CivilDateTests {
    static let cases: [(date: String, dayNumber: Int, isoWeekday: Int, isoWeek: String)] = [
        ("1970-01-01", 0, 4, "1970-W01"),
        ("1969-12-31", -1, 3, "1970-W01"),
        ("2025-03-30", 20_177, 7, "2025-W13"),
        ("2024-12-30", 20_087, 1, "2025-W01"),  // Monday of 2025's first ISO week
        ("2021-01-03", 18_630, 7, "2020-W53"),  // Sunday still in 2020's last week
        ("2024-02-29", 19_782, 4, "2024-W09"),
        ("2000-03-01", 11_017, 3, "2000-W09"),
        ("1900-03-01", -25_508, 4, "1900-W09"),
        ("0001-01-01", -719_162, 1, "0001-W01"),
    ]

    @Test(arguments: cases)
    func dayNumbersWeekdaysAndISOWeeks(_ c: (date: String, dayNumber: Int, isoWeekday: Int, isoWeek: String)) throws {
        let date = try #require(CivilDate(parsing: c.date))
        #expect(date.dayNumber == c.dayNumber)
        #expect(CivilDate(dayNumber: c.dayNumber) == date)
        #expect(date.description == c.date)
        #expect(date.isoWeekday == c.isoWeekday)
        #expect(date.weekday == c.isoWeekday % 7)
        let (year, week) = date.isoWeek
        #expect(DecimalText.padded(year, width: 4) + "-W" + DecimalText.padded(week, width: 2) == c.isoWeek)
    }

    @Test func invalidDates() {
        #expect(CivilDate(year: 2025, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2100, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2025, month: 13, day: 1) == nil)
        #expect(CivilDate(year: 2025, month: 4, day: 31) == nil)
        #expect(CivilDate(year: 2025, month: 4, day: 0) == nil)
    }

    static let leapYears: [(year: Int, leap: Bool)] = [
        (1600, true), (1700, false), (1900, false), (1996, true), (2000, true), (2023, false), (2024, true), (2100, false),
        (2400, true), (0, true), (-4, true), (-100, false),
    ]

    @Test(arguments: leapYears)
    func leapYearRule(_ c: (year: Int, leap: Bool)) {
        #expect(CivilDate.isLeapYear(c.year) == c.leap)
        #expect(CivilDate.daysIn(year: c.year, month: 2) == (c.leap ? 29 : 28))
    }

    @Test func daysInEachMonth() {
        let expected = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        #expect((1...12).map { CivilDate.daysIn(year: 2025, month: $0) } == expected)
    }

    static let parsing: [(text: String, valid: Bool)] = [
        ("2025-03-30", true), ("2024-02-29", true), ("2025-02-29", false), ("2025-3-30", false), ("2025-03-30T00:00", false),
        ("20250330", false), ("2025-13-01", false), ("2025-00-10", false), ("2025-01-00", false), ("+025-01-01", false), ("", false),
    ]

    @Test(arguments: parsing)
    func parsesIsoDates(_ c: (text: String, valid: Bool)) {
        let date = CivilDate(parsing: c.text)
        #expect((date != nil) == c.valid)
        if let date { #expect(date.description == c.text) }
    }

    @Test func roundTripsEveryDayForFourCenturies() {
        var previous = CivilDate(dayNumber: -150_000)
        for n in -149_999...150_000 {
            let date = CivilDate(dayNumber: n)
            #expect(date.dayNumber == n)
            #expect(previous < date)
            previous = date
        }
    }

    /// Every 97th day from 1600 to 2400 against Foundation's proleptic Gregorian calendar in UTC.
    @Test func agreesWithFoundationFrom1600To2400() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        let first = CivilDate.dayNumber(year: 1600, month: 1, day: 1)
        let last = CivilDate.dayNumber(year: 2400, month: 12, day: 31)
        for n in stride(from: first, through: last, by: 97) {
            let date = CivilDate(dayNumber: n)
            let parts = calendar.dateComponents([.year, .month, .day, .weekday],
                                                from: Date(timeIntervalSince1970: TimeInterval(n) * 86_400))
            #expect([date.year, date.month, date.day] == [parts.year, parts.month, parts.day], "\(n)")
            #expect(date.weekday + 1 == parts.weekday, "\(n)")  // Foundation: 1 = Sunday
        }
    }

    /// Parsers hand unchecked fields to `dayNumber(year:month:day:)`; days past a month's end
    /// count on into the next month, as the arithmetic always did.
    @Test func uncheckedDayNumbersCountOn() {
        #expect(CivilDate.dayNumber(year: 2025, month: 4, day: 31) == CivilDate.dayNumber(year: 2025, month: 5, day: 1))
        #expect(CivilDate.dayNumber(year: 2024, month: 2, day: 30) == CivilDate.dayNumber(year: 2024, month: 3, day: 1))
    }

    @Test func monthAndWeekStarts() throws {
        let date = try #require(CivilDate(parsing: "2024-02-29"))
        #expect(date.startOfMonth.description == "2024-02-01")
        #expect(date.startOfNextMonth.description == "2024-03-01")
        #expect(date.startOfISOWeek.description == "2024-02-26")
        #expect(try #require(CivilDate(parsing: "2024-12-15")).startOfNextMonth.description == "2025-01-01")
    }
}
