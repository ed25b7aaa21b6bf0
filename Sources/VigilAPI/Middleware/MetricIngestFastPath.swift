import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import VigilCore
import VigilServices

/// `POST /v1/workspaces/{workspace}/metrics` without the generated Codable decoding, which
/// cost ~40 % of ingest CPU: the body is parsed by `MetricBatchJSON` (a strict parser for just
/// this shape). Everything else is `MetricIngestPipeline`, the same function the generated
/// handler calls, so authentication, the service call, the answers and the error envelopes are
/// the same by construction; the spec's contract is unchanged. The generated handler stays as
/// the fallback for requests this does not take (none in practice) and keeps the route in the
/// spec-parity test.
struct MetricIngestFastPath: RouterMiddleware {
    typealias Context = VigilRequestContext

    static let route = "/v1/workspaces/{workspace}/metrics"
    static let idempotencyKey = HTTPField.Name(IdempotencyKey.headerName)!
    let services: Services
    let metrics: HTTPMetrics
    let maxPoints: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, Self.isIngestRoute(context.endpointPath),
              let workspace = context.parameters.get("workspace"), let info = RequestInfo.current else {
            return try await next(request, context)
        }
        var request = request
        let accepted = try await MetricIngestPipeline(services: services, metrics: metrics)
            .ingest(workspace: workspace, request: info, idempotencyKey: request.headers[Self.idempotencyKey]) {
            let body = try await request.collectBody(upTo: .max)
            do {
                return try body.withUnsafeReadableBytes { try MetricBatchJSON.parse(Array($0), maxPoints: maxPoints) }
            } catch let failure as ValidationFailure {
                throw ServiceError(failure)
            }
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: "{\"accepted\":\(accepted)}")))
    }

    /// The router reports templates with `{name}` or `:name` parameters depending on version.
    static func isIngestRoute(_ path: String?) -> Bool {
        path == route || path == "/v1/workspaces/:workspace/metrics"
    }
}
