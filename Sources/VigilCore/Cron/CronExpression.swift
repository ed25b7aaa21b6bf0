/// A standard five-field cron expression: `minute hour day-of-month month day-of-week`.
///
/// Supported syntax, per field: `*`, a value, `a-b`, `*/n`, `a-b/n`, `a/n` (a, a+n, … to the
/// field's end) and comma-separated lists of those. Months accept `JAN`–`DEC` and days of the
/// week `SUN`–`SAT` (case-insensitive, also inside ranges); day-of-week `0` and `7` are both
/// Sunday. Macros: `@hourly`, `@daily`/`@midnight`, `@weekly`, `@monthly`, `@yearly`/`@annually`.
///
/// Day matching follows Vixie cron: when both day-of-month and day-of-week are restricted, a day
/// matches if *either* does (`0 0 13 * 5` = every 13th and every Friday). As in Vixie cron a
/// field counts as unrestricted when its text starts with `*`, so `*/2` in day-of-month combines
/// with a day-of-week restriction by AND (`0 0 */2 * 5` = Fridays on odd days of the month).
///
/// Equality is semantic: `0 0 * * 7` equals `0 0 * * 0`, `@daily` equals `0 0 * * *`. (It also
/// compares the `*`-prefix flags, which change meaning; `0-59 * * * *` is not `* * * * *`.)
///
/// Scheduling (``nextFire(after:in:)``) and its DST rules are in CronSchedule.swift.
public struct CronExpression: Sendable, Equatable {
    var minutes: ValueSet
    var hours: ValueSet
    var daysOfMonth: ValueSet
    var months: ValueSet
    var daysOfWeek: ValueSet  // 0 = Sunday … 6 = Saturday
    var minuteIsWildcard: Bool
    var hourIsWildcard: Bool
    var dayOfMonthIsWildcard: Bool
    var dayOfWeekIsWildcard: Bool

    private static let macros: [String: String] = [
        "@hourly": "0 * * * *",
        "@daily": "0 0 * * *",
        "@midnight": "0 0 * * *",
        "@weekly": "0 0 * * 0",
        "@monthly": "0 0 1 * *",
        "@yearly": "0 0 1 1 *",
        "@annually": "0 0 1 1 *",
    ]

    public init(parsing text: String) throws(CronParseError) {
        var fields = text.split(whereSeparator: \.isWhitespace)
        if let first = fields.first, first.hasPrefix("@") {
            guard fields.count == 1, let expansion = Self.macros[first.lowercased()] else {
                throw CronParseError(
                    field: .expression, value: text,
                    reason: fields.count == 1 ? "unknown macro \(first)" : "a macro must stand alone")
            }
            fields = expansion.split(separator: " ")
        }
        guard fields.count == 5 else {
            throw CronParseError(
                field: .expression, value: text,
                reason: "expected 5 fields (minute hour day-of-month month day-of-week), got \(fields.count)")
        }
        (minutes, minuteIsWildcard) = try FieldSpec.minute.parse(fields[0])
        (hours, hourIsWildcard) = try FieldSpec.hour.parse(fields[1])
        (daysOfMonth, dayOfMonthIsWildcard) = try FieldSpec.dayOfMonth.parse(fields[2])
        (months, _) = try FieldSpec.month.parse(fields[3])
        (daysOfWeek, dayOfWeekIsWildcard) = try FieldSpec.dayOfWeek.parse(fields[4])
    }

    /// Vixie/cronie call an expression a "wildcard job" when its minute or hour field starts
    /// with `*`; everything else names fixed times of day and gets wall-clock DST handling.
    var hasFixedTimesOfDay: Bool { !minuteIsWildcard && !hourIsWildcard }

    /// Whether a calendar day (month 1-12, day of month, weekday 0 = Sunday) is eligible.
    func matchesDay(month: Int, day: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        let byDayOfMonth = daysOfMonth.contains(day)
        let byDayOfWeek = daysOfWeek.contains(weekday)
        if dayOfMonthIsWildcard || dayOfWeekIsWildcard { return byDayOfMonth && byDayOfWeek }
        return byDayOfMonth || byDayOfWeek
    }
}
