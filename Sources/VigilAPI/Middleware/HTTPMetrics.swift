import Metrics
import Prometheus
import VigilPrimitives

/// Vigil's own metrics: recorded through swift-metrics into a swift-prometheus registry owned
/// by this application instance (not the process-global bootstrap, so several apps — as in
/// tests — never share counters). Labels are route templates, never raw paths or tenant ids.
final class HTTPMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory

    init(version: String = APIApplication.version) {
        self.factory = PrometheusMetricsFactory(registry: registry)
        // The Prometheus convention for "which build is running": a constant 1 labelled with it.
        Gauge(label: "vigil_build_info", dimensions: [("version", version)], factory: factory).record(1)
    }

    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        let dimensions = [("route", route), ("method", method), ("status", String(status))]
        Counter(label: "vigil_http_requests_total", dimensions: dimensions, factory: factory).increment()
        Metrics.Timer(label: "vigil_http_request_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds, factory: factory)
            .recordNanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// Pool gauges are sampled at scrape time, so they are exact when read.
    func recordPool(_ stats: PoolUsage) {
        Gauge(label: "vigil_db_pool_connections", dimensions: [("state", "in_use")], factory: factory).record(stats.inUse)
        Gauge(label: "vigil_db_pool_connections", dimensions: [("state", "idle")], factory: factory).record(stats.idle)
        Gauge(label: "vigil_db_pool_waiting_requests", factory: factory).record(stats.waiting)
    }

    /// How `CachedReads` answered a request of `read` (alerts, metric_stats, metric_series).
    enum ReadCacheResult: String {
        /// A stored answer was still current.
        case hit
        /// Another request's computation of the same answer at the same version was shared.
        case shared
        /// Read from the database (and stored).
        case miss
    }

    func recordReadCache(_ read: String, result: ReadCacheResult) {
        Counter(label: "vigil_read_cache_requests_total", dimensions: [("read", read), ("result", result.rawValue)], factory: factory).increment()
    }

    /// One ingest batch's outcome, and the points it stored.
    func recordIngest(outcome: IngestOutcome, points: Int) {
        Counter(label: "vigil_ingest_batches_total", dimensions: [("outcome", outcome.rawValue)], factory: factory).increment()
        if points > 0 { Counter(label: "vigil_ingest_points_total", factory: factory).increment(by: points) }
    }

    /// Seconds since the youngest worker heartbeat, sampled at scrape time (absent until a
    /// worker has beaten once, or when the database cannot be asked).
    func recordHeartbeatAge(_ seconds: Double) {
        Gauge(label: "vigil_worker_heartbeat_age_seconds", factory: factory).record(seconds)
    }

    /// Help text per metric family. swift-metrics has no place for help text (the factory
    /// registers families with none, and the registry refuses differing help for one name), so
    /// it is added to the exposition here; `promtool check metrics` requires it.
    static let help: [String: String] = [
        "vigil_http_requests_total": "HTTP requests by route template, method and status.",
        "vigil_http_request_duration_seconds": "HTTP request duration by route template, method and status.",
        "vigil_db_pool_connections": "Database pool connections by state (in_use, idle).",
        "vigil_db_pool_waiting_requests": "Requests waiting to acquire a database connection.",
"vigil_ingest_batches_total": "Metric ingest requests by outcome (accepted, invalid, rate_limited, limit_reached, unauthorized, unavailable, error).",
        "vigil_ingest_points_total": "Metric points accepted and stored.",
        "vigil_read_cache_requests_total": "Alert-list, metric stats and series requests by read: answered from the read cache (hit), by a concurrent request's read of the same answer (shared), or read and stored (miss).",
        "vigil_build_info": "The running build: always 1, labelled with its version.",
        "vigil_worker_heartbeat_age_seconds": "Seconds since the youngest worker heartbeat (alert when it grows: no worker is running).",
    ]

    func exposition() -> String {
        var lines: [Substring] = []
        for line in registry.emitToString().split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# TYPE "), let name = line.split(separator: " ").dropFirst(2).first, let help = Self.help[String(name)] {
                lines.append("# HELP \(name) \(help)")
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
