/// The date and time of day that a count of seconds since 1970-01-01T00:00 reads as: UTC for
/// an instant, or local time for a *wall* time (a local reading written as if it were UTC, see
/// `ZoneSegments`). Whole seconds; division rounds down, so 1969-12-31T23:59:59 is -1.
public struct CivilDateTime: Sendable, Hashable {
    public let date: CivilDate
    /// 0 ..< 86,400.
    public let secondOfDay: Int

    public init(secondsSince1970 seconds: Int) {
        let days = CivilDate.floorDiv(seconds, 86_400)
        date = CivilDate(dayNumber: days)
        secondOfDay = seconds - days * 86_400
    }

    public var hour: Int { secondOfDay / 3600 }
    public var minute: Int { secondOfDay % 3600 / 60 }
    public var second: Int { secondOfDay % 60 }

    /// `YYYY-MM-DD<separator>HH:MM:SS` as ASCII bytes: the part every timestamp format shares.
    public func appendText(dateTimeSeparator separator: UInt8, to out: inout [UInt8]) {
        DecimalText.appendPadded(date.year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        DecimalText.appendPadded(date.month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        DecimalText.appendPadded(date.day, width: 2, to: &out)
        out.append(separator)
        DecimalText.appendPadded(hour, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        DecimalText.appendPadded(minute, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        DecimalText.appendPadded(second, width: 2, to: &out)
    }
}
