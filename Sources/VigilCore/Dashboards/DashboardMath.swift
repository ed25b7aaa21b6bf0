import Foundation

/// Small numeric helpers shared by the dashboards: rates that refuse to divide by zero,
/// counts that cannot trap on hostile values, and rounding for display.
public enum DashboardMath {
    /// `part / whole`, or nil when `whole` is not positive: a rate of nothing is unknown, not 0.
    public static func fraction(_ part: Double, of whole: Double) -> Double? {
        guard whole > 0, whole.isFinite, part.isFinite else { return nil }
        return part / whole
    }

    /// `part / whole × 100`, or nil when `whole` is not positive.
    public static func percent(_ part: Double, of whole: Double) -> Double? {
        fraction(part, of: whole).map { $0 * 100 }
    }

    /// Events per second over `seconds`, or nil for an empty window.
    public static func perSecond(_ events: Double, over seconds: Double) -> Double? {
        fraction(events, of: seconds)
    }

    /// A count for JSON: rounded, never negative, clamped below `Int.max` (no trap on 1e300).
    public static func count(_ value: Double) -> Int {
        guard value.isFinite, value > 0 else { return 0 }
        return value >= 9.0e15 ? 9_000_000_000_000_000 : Int(value.rounded())
    }

    /// Rounds to `places` decimals for display; classification always uses the exact value.
    public static func rounded(_ value: Double?, places: Int) -> Double? {
        guard let value, value.isFinite else { return nil }
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }

    /// A figure for a recommendation message: at most `places` decimals, no trailing zeros.
    public static func format(_ value: Double, places: Int = 2) -> String {
        let fixed = String(format: "%.\(places)f", value)
        guard fixed.contains(".") else { return fixed }
        var trimmed = Substring(fixed)
        while trimmed.hasSuffix("0") { trimmed.removeLast() }
        if trimmed.hasSuffix(".") { trimmed.removeLast() }
        return String(trimmed)
    }

    /// RFC 3339 in UTC with milliseconds and `Z` (API conventions), for `timestamp` fields.
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// How many events a selection holds: counters carry their increments in `value` (so the
    /// sum counts), timings and gauges one event per point (so the count does).
    public static func events(in stats: MetricStats, kind: MetricKind) -> Double {
        switch kind {
        case .counter: stats.sum.isFinite ? Swift.max(stats.sum, 0) : 0
        case .gauge, .timing: Double(stats.count)
        }
    }

    /// Dictionary of event counts per group, using the query's kind to count.
    public static func counts(_ groups: [String: MetricStats], kind: MetricKind) -> [String: Int] {
        groups.mapValues { count(events(in: $0, kind: kind)) }
    }

    /// Most severe first; equal levels keep their order (a stable sort, so output is stable).
    public static func bySeverity(_ advice: [Recommendation]) -> [Recommendation] {
        advice.enumerated().sorted { $0.element.level != $1.element.level ? $0.element.level > $1.element.level : $0.offset < $1.offset }
            .map(\.element)
    }

    /// Group names ordered by descending count, then by name (stable output).
    public static func ranked(_ counts: [String: Int]) -> [String] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
    }
}
