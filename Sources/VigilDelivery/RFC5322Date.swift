import Foundation
import VigilPrimitives

/// "Tue, 04 Mar 2025 10:15:30 +0000". Computed arithmetically in UTC (`CivilDateTime`) so the
/// output does not depend on the process locale or time zone (render must be deterministic).
enum RFC5322Date {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func format(_ date: Date) -> String {
        let time = CivilDateTime(secondsSince1970: Int(date.timeIntervalSince1970.rounded(.down)))
        let day = time.date
        return "\(weekdays[day.weekday]), \(pad(day.day)) \(months[day.month - 1]) \(day.year) "
            + "\(pad(time.hour)):\(pad(time.minute)):\(pad(time.second)) +0000"
    }

    private static func pad(_ value: Int) -> String { DecimalText.padded(value, width: 2) }
}
