import Foundation
import Hummingbird
import Logging
import OpenAPIHummingbird
import OpenAPIRuntime
import VigilCore
import VigilServices

/// Builds the HTTP application: edge middleware around the routes generated from
/// openapi/openapi.yaml, served by `APIController`.
public enum APIApplication {
    public static let version = "0.1.0"

    public static func makeRouter(services: Services, configuration: APIConfiguration, logger: Logger) throws -> Router<VigilRequestContext> {
        let router = Router(context: VigilRequestContext.self)
        let metrics = HTTPMetrics()
        let controller = APIController(services: services, metrics: metrics, logger: logger)
        // Compact JSON: pretty-printing costs the read path CPU and bytes on every object of every
        // list for no client's benefit. Keys stay sorted, so equal answers are equal bytes.
        let runtimeConfiguration = Configuration(dateTranscoder: FlexibleDateTranscoder(), jsonEncodingOptions: [.sortedKeys])
        let routes = try RouteTable { try controller.registerHandlers(on: $0, configuration: runtimeConfiguration) }
        router.add(middleware: SecurityHeaders())
        router.add(middleware: EdgeMiddleware(maxBodyBytes: configuration.maxBodyBytes, metrics: metrics, routes: routes,
                                             trustedProxies: configuration.trustedProxies, logger: logger))
        router.add(middleware: DownloadHeaders())
        router.add(middleware: CachedReads(services: services, cache: AnswerCache(limits: .init(maxBytes: configuration.readCacheBytes)), metrics: metrics))
        router.add(middleware: MetricIngestFastPath(services: services, metrics: metrics, maxPoints: services.metricIngest.configuration.limits.maxPointsPerRequest))
        try controller.registerHandlers(on: router, configuration: runtimeConfiguration)
        return router
    }

    public static func make(services: Services, configuration: APIConfiguration, logger: Logger) throws -> some ApplicationProtocol {
        let router = try makeRouter(services: services, configuration: configuration, logger: logger)
        return Application(
            router: router,
            // Idle connections (including half-sent requests) are closed, so slow or abandoned
            // clients cannot hold sockets forever.
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds)))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "vigil"),
            logger: logger
        )
    }
}
