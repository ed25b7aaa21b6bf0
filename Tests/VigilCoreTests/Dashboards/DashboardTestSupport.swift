import Foundation
import Testing
import VigilCore

/// Hand-made stats for dashboard tests.
enum DashboardFixture {
    static let now = Date(timeIntervalSince1970: 1_790_000_000) // 2026-09-21T14:13:20Z

    /// Stats of `count` timing/gauge points; quantiles default to a flat `value`.
    static func timing(_ count: Int, value: Double = 100, p95: Double? = nil, p99: Double? = nil, max: Double? = nil) -> MetricStats {
        guard count > 0 else { return .empty }
        return MetricStats(count: count, sum: value * Double(count), min: value, max: max ?? value,
                           p50: value, p95: p95 ?? value, p99: p99 ?? value)
    }

    /// Stats of counter points adding up to `total` (one point per increment).
    static func counter(_ total: Double) -> MetricStats {
        guard total > 0 else { return .empty }
        return MetricStats(count: Int(total), sum: total, min: 1, max: 1, p50: 1, p95: 1, p99: 1)
    }

    static func inputs(_ dashboard: DashboardID, window: Int? = nil, _ stats: [DashboardQuery: DashboardQueryStats] = [:]) -> DashboardInputs {
        let window = DashboardWindow(value: window ?? dashboard.defaultWindowValue, unit: dashboard.windowUnit)
        return DashboardInputs(window: window, generatedAt: now,
                               stats: Dictionary(uniqueKeysWithValues: stats.map { ($0.key.id, $0.value) }))
    }

    static func grouped(_ groups: [String: MetricStats], overall: MetricStats? = nil) -> DashboardQueryStats {
        let total = overall ?? groups.values.reduce(MetricStats.empty) { merged($0, $1) }
        return DashboardQueryStats(overall: total, groups: groups)
    }

    /// Count and sum merged; quantiles taken from the larger part (good enough for fixtures).
    static func merged(_ a: MetricStats, _ b: MetricStats) -> MetricStats {
        let big = a.count >= b.count ? a : b
        return MetricStats(count: a.count + b.count, sum: a.sum + b.sum, min: big.min, max: big.max,
                           p50: big.p50, p95: big.p95, p99: big.p99)
    }

    /// The JSON object an encodable encodes to, with a plain encoder (as the API will use).
    static func json(_ value: some Encodable) throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(value)
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
