import Foundation
import VigilCore
import VigilRepositories

/// `GET …/metrics/export`: the workspace's metrics in Prometheus text format, so a Prometheus
/// server can scrape a workspace. Counters are running totals; gauges their latest value
/// within `gaugeFreshness` (older gauges are left out, as Prometheus would mark them stale);
/// timings are summaries whose quantiles cover the last `quantileWindowMinutes` and whose
/// _sum/_count are running totals — the same shape client-library summaries have.
public struct MetricExportService: Sendable {
    let database: Database
    let clock: WallClock
    let reads = MetricReadRepository()
    public var gaugeFreshness: TimeInterval = 3600
    public var quantileWindowMinutes = 5
    /// Series one scrape may carry. A scrape builds its answer in memory, so it is capped
    /// whatever the workspace's series limit says; past it, the first series by name are
    /// exported and a final comment says the export was truncated.
    public var maxSeries = 100_000

    public init(database: Database, clock: WallClock) {
        self.database = database
        self.clock = clock
    }

    public func export(workspaceID: UUID) async throws -> String {
        let now = clock.now()
        let window = MetricWindow(minutes: quantileWindowMinutes, now: now)
        // A heavy read: on the read replica when one is configured and fresh enough.
        let (samples, truncated) = try await database.readInWorkspace(workspaceID) { connection -> ([PrometheusSample], Bool) in
            let kinds = try await reads.allKinds(on: connection)
            var all = try await reads.allSeries(limit: maxSeries + 1, on: connection)
            let truncated = all.count > maxSeries
            if truncated { all.removeLast(all.count - maxSeries) }
            let byKind = Dictionary(grouping: all) { kinds[$0.name] ?? .gauge }
            let counterAndTimingIDs = (byKind[.counter, default: []] + byKind[.timing, default: []]).map(\.series.id)
            let totals = try await reads.totals(seriesIDs: counterAndTimingIDs, on: connection)
            let gauges = try await reads.latestValues(seriesIDs: byKind[.gauge, default: []].map(\.series.id),
                                                      since: now.addingTimeInterval(-gaugeFreshness), on: connection)
            let recent = try await reads.rollups(seriesIDs: byKind[.timing, default: []].map(\.series.id),
                                                 plan: RollupPlan(hours: nil, minutes: [window.start..<window.end]), on: connection)
            var quantiles: [Int64: QuantileSketch] = [:]
            for row in recent { quantiles[row.seriesID, default: QuantileSketch()].merge(row.sketch) }

            return (all.compactMap { entry -> PrometheusSample? in
                let id = entry.series.id
                switch kinds[entry.name] ?? .gauge {
                case .counter:
                    return totals[id].map { PrometheusSample(name: entry.name, labels: entry.series.tags, value: .counter(total: $0.sum)) }
                case .gauge:
                    return gauges[id].map { PrometheusSample(name: entry.name, labels: entry.series.tags, value: .gauge($0)) }
                case .timing:
                    guard let total = totals[id] else { return nil }
                    let recentStats = quantiles[id]?.stats()
                    let stats = MetricStats(count: total.count, sum: total.sum, min: nil, max: nil,
                                            p50: recentStats?.p50, p95: recentStats?.p95, p99: recentStats?.p99)
                    return PrometheusSample(name: entry.name, labels: entry.series.tags, value: .timing(stats))
                }
            }, truncated)
        }
        let text = PrometheusExposition.render(samples)
        return truncated ? text + "# vigil: export truncated at \(maxSeries) series\n" : text
    }
}
