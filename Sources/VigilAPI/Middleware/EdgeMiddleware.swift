import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import VigilCore
import VigilPrimitives
import VigilServices

extension HTTPField.Name {
    static let correlationID = Self("X-Correlation-ID")!
    static let requestID = Self("X-Request-ID")!
    static let traceparent = Self("traceparent")!
    static let requestDuration = Self("X-Request-Duration-Ms")!
    static let monitoringAPIKey = Self("X-Monitoring-API-Key")!
    static let xForwardedFor = Self("X-Forwarded-For")!
}

/// The outermost middleware: correlation id, body limits, the error envelope, timing headers,
/// metrics and the access log — applied to every request, matched or not.
struct EdgeMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let maxBodyBytes: Int
    let metrics: HTTPMetrics
    /// What each path answers, for 405 with `Allow` when the router found no route.
    let routes: RouteTable
    /// Who may name the client in `X-Forwarded-For` (nobody by default).
    let trustedProxies: TrustedProxies
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let correlationID = CorrelationID.resolve(correlationHeader: request.headers[.correlationID],
                                                  requestIDHeader: request.headers[.requestID],
                                                  traceparent: request.headers[.traceparent])
        let info = RequestInfo(correlationID: correlationID, sourceIP: trustedProxies.client(peer: Self.ip(of: context.remoteAddress),
                                                                               forwardedFor: request.headers[values: .xForwardedFor]),
                               credentials: Self.credentials(in: request.headers), tagFilters: Self.tagFilters(in: request),
                               idempotencyKey: request.headers[MetricIngestFastPath.idempotencyKey])
        var response: Response
        do {
            try QueryParameterPolicy.check(request.uri.queryParameters)
            try HeaderPolicy.check(request.headers, path: request.uri.path)
            let checked = try await limitBody(of: request)
            response = try await RequestInfo.$current.withValue(info) {
                try await LogContext.$correlationID.withValue(correlationID) { try await next(checked, context) }
            }
        } catch let error as HTTPError where error.status == .notFound {
            response = unmatched(request, correlationID: correlationID)
        } catch {
            response = ErrorMapping.response(for: error, correlationID: correlationID, logger: logger)
        }
        let elapsed = ContinuousClock.now - started
        let millis = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        response.headers[.correlationID] = correlationID
        response.headers[.requestDuration] = String(format: "%.2f", millis)
        let route = context.endpointPath ?? "unmatched"
        metrics.recordRequest(route: route, method: request.method.rawValue, status: Int(response.status.code), duration: elapsed)
        logger.info("request", metadata: [
            "correlation_id": "\(correlationID)", "method": "\(request.method.rawValue)", "route": "\(route)",
            "status": "\(response.status.code)", "duration_ms": "\(String(format: "%.2f", millis))",
        ])
        return response
    }

    /// No route matched: 405 with `Allow` when the path exists under other methods, else 404.
    private func unmatched(_ request: Request, correlationID: String) -> Response {
        let allowed = routes.allowedMethods(forPath: request.uri.path)
        guard !allowed.isEmpty else {
            return ErrorMapping.response(for: HTTPError(.notFound), correlationID: correlationID, logger: logger)
        }
        let refusal = APIError(status: .methodNotAllowed, code: "method_not_allowed",
                               message: "\(request.method.rawValue) is not allowed here; allowed: \(allowed.joined(separator: ", "))")
        var response = ErrorMapping.response(for: refusal, correlationID: correlationID, logger: logger)
        response.headers[.allow] = allowed.joined(separator: ", ")
        return response
    }

    /// Rejects bodies over the limit (413) before anything parses them, whether the size is
    /// announced by Content-Length or only discovered while streaming, non-JSON bodies (415),
    /// and nulls the spec does not allow (400, `NullFieldPolicy`).
    private func limitBody(of request: Request) async throws -> Request {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodyBytes {
            throw APIError.payloadTooLarge(limit: maxBodyBytes)
        }
        guard request.method == .post || request.method == .put || request.method == .patch else { return request }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maxBodyBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.payloadTooLarge(limit: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            // A chunked body has no Content-Length; its size shows only while streaming.
            throw APIError.payloadTooLarge(limit: maxBodyBytes)
        } catch {
            // Malformed chunk framing or a client that went away mid-body.
            throw APIError(status: .badRequest, code: "invalid_request", message: "the request body could not be read")
        }
        if body.readableBytes > 0 {
            let type = request.headers[.contentType]?.lowercased() ?? ""
            guard type.hasPrefix("application/json") || type.hasPrefix("application/") && type.contains("+json") else {
                throw APIError.unsupportedMediaType
            }
            try NullFieldPolicy.check(body.readableBytesView, method: request.method, path: request.uri.path)
        } else if request.method == .post {
            // A bodiless POST (`POST …/alerts/{id}/acknowledge`) reads as `{}`: the generated
            // server would otherwise try to parse zero bytes as JSON for an optional body.
            // Operations whose body is required still answer 400 for the missing fields.
            var head = request.head
            head.headerFields[.contentType] = "application/json"
            head.headerFields[.contentLength] = "2"
            return Request(head: head, body: RequestBody(buffer: ByteBuffer(string: "{}")))
        }
        return request
    }

    static func credentials(in headers: HTTPFields) -> Credentials {
        var bearer: String?
        if let authorization = headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                bearer = parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        let header = headers[.monitoringAPIKey]?.trimmingCharacters(in: .whitespaces)
        return Credentials(bearer: bearer?.isEmpty == true ? nil : bearer, apiKeyHeader: header?.isEmpty == true ? nil : header)
    }

    static func ip(of address: SocketAddress?) -> String? {
        address?.ipAddress
    }

    /// `?tag.status=500&tag.endpoint=/api/users` → ["status": "500", "endpoint": "/api/users"].
    /// A repeated tag keeps its last value.
    static func tagFilters(in request: Request) -> [String: String] {
        var filters: [String: String] = [:]
        for (key, value) in request.uri.queryParameters where key.hasPrefix("tag.") && key.count > 4 {
            filters[String(key.dropFirst(4))] = String(value)
        }
        return filters
    }
}
