import Hummingbird
import Logging
import VigilCore
import VigilWorker

/// The worker's own HTTP endpoint: `GET /metrics` (Prometheus text) and `GET /healthz`.
/// Separate from the API so a worker host exposes nothing but its metrics.
enum WorkerMetricsServer {
    /// `readRouting`: the read replica's figures (report generation's reads), nil without one.
    static func make(host: String, port: Int, metrics: JobMetrics, readRouting: @escaping @Sendable () -> ReadRoutingStatistics?,
                     logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            let text = metrics.exposition()
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: readRouting().map { $0.appended(to: text) } ?? text)))
        }
        router.get("/healthz") { _, _ in "ok\n" }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port)), logger: logger)
    }
}
