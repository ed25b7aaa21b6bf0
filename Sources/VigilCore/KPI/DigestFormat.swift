/// Display strings for digest values: no locale, no formatter, the same text on every platform.
enum DigestFormat {
    static let missing = "–"

    /// At most two decimals, no trailing zeros: `1234.5`, `0.04`; `–` for nil or non-finite.
    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return missing }
        let rounded = (value * 100).rounded() / 100
        return DashboardMath.format(rounded == 0 ? 0 : rounded, places: 2)
    }

    /// `4.2%`, `1234 EUR`, `17`; `–` for nil.
    static func value(_ value: Double?, unit: String) -> String {
        guard value?.isFinite == true else { return missing }
        let text = number(value)
        if unit.isEmpty { return text }
        return unit == "%" ? text + "%" : text + " " + unit
    }

    /// A fraction as a percentage: `99.912%`.
    static func percent(_ fraction: Double?, places: Int = 3) -> String {
        guard let fraction, fraction.isFinite else { return missing }
        return DashboardMath.format(fraction * 100, places: places) + "%"
    }

    /// `+12.5%`, `-3%`, `0%`; `–` for nil.
    static func change(_ percent: Double?) -> String {
        guard let percent, percent.isFinite else { return missing }
        let text = number(percent)
        return (percent > 0 && text != "0" ? "+" : "") + text + "%"
    }

    /// `45s`, `12m 5s`, `3h 4m`, `2d 3h`; `–` for nil.
    static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return missing }
        let s = Int(Swift.max(seconds, 0).rounded())
        switch s {
        case ..<60: return "\(s)s"
        case ..<3600: return "\(s / 60)m \(s % 60)s"
        case ..<86_400: return "\(s / 3600)h \(s % 3600 / 60)m"
        default: return "\(s / 86_400)d \(s % 86_400 / 3600)h"
        }
    }

    /// `on target`, `at risk`, …: enum raw values made readable.
    static func words(_ raw: String) -> String { raw.replacingOccurrences(of: "_", with: " ") }
}
