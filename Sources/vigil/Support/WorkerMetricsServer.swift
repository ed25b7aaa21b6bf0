import Hummingbird
import Logging
import VigilWorker

/// The worker's own HTTP endpoint: `GET /metrics` (Prometheus text) and `GET /healthz`.
/// Separate from the API so a worker host exposes nothing but its metrics.
enum WorkerMetricsServer {
    static func make(host: String, port: Int, metrics: JobMetrics, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        router.get("/healthz") { _, _ in "ok\n" }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port)), logger: logger)
    }
}
