import Foundation
import Hummingbird
import NIOCore
import VigilCore
import VigilServices

/// `POST /v1/workspaces/{workspace}/metrics` without the generated Codable decoding, which
/// cost ~40 % of ingest CPU: the body is parsed by `MetricBatchJSON` (a strict parser for just
/// this shape) and the request otherwise runs exactly as the generated route would — same
/// authentication, same service call, same answers and error envelopes; the spec's contract is
/// unchanged. The generated handler stays as the fallback for requests this does not take
/// (none in practice) and keeps the route in the spec-parity test.
struct MetricIngestFastPath: RouterMiddleware {
    typealias Context = VigilRequestContext

    static let route = "/v1/workspaces/{workspace}/metrics"
    let services: Services
    let maxPoints: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, Self.isIngestRoute(context.endpointPath),
              let workspace = context.parameters.get("workspace"), let info = RequestInfo.current else {
            return try await next(request, context)
        }
        let caller = try await services.auth.requireKey(info.credentials, workspace: workspace, role: .ingest, request: info.metadata)
        return try await LogContext.$workspaceID.withValue(caller.workspace.id.uuidString.lowercased()) {
            var request = request
            let body = try await request.collectBody(upTo: .max)
            let points: [RawMetricPoint]
            do {
                points = try body.withUnsafeReadableBytes { try MetricBatchJSON.parse(Array($0), maxPoints: maxPoints) }
            } catch let failure as ValidationFailure {
                throw ServiceError(failure)
            }
            let accepted = try await services.metricIngest.ingest(points, into: caller.workspace)
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: "{\"accepted\":\(accepted)}")))
        }
    }

    /// The router reports templates with `{name}` or `:name` parameters depending on version.
    static func isIngestRoute(_ path: String?) -> Bool {
        path == route || path == "/v1/workspaces/:workspace/metrics"
    }
}
