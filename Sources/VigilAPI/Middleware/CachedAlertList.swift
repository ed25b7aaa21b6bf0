import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import VigilCore
import VigilServices

/// `GET /v1/workspaces/{workspace}/alerts` answered from memory while the workspace's alerts
/// are unchanged (issue 17: dashboards and clients poll this list). Every request still
/// authenticates (the verified-key cache and its rate limits) and reads the workspace's
/// alert-list version in one round trip, in a transaction that re-checks the key's revocation
/// under row-level security; only reading, decoding and encoding the list is skipped, and only
/// while the version is the one the stored answer was computed at (migration 0029 bumps it in
/// the transaction of any change to an alert, from any process).
///
/// On a miss the generated handler answers as always, and its 200 answer is kept tagged with
/// the version read *before* it ran: an answer is never tagged newer than its content. The
/// caller authenticated here is handed to that handler, so a miss counts once against the
/// workspace's request limit. Anything else (errors, other statuses, an `Accept` that does not
/// take JSON) passes through untouched.
struct CachedAlertList: RouterMiddleware {
    typealias Context = VigilRequestContext

    static let route = "/v1/workspaces/{workspace}/alerts"
    let services: Services
    let cache: AnswerCache
    let metrics: HTTPMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard cache.isEnabled, request.method == .get, Self.isListRoute(context.endpointPath), Self.acceptsJSON(request),
              let workspace = context.parameters.get("workspace"), let info = RequestInfo.current else {
            return try await next(request, context)
        }
        let query = request.uri.query ?? ""
        return try await APIController.withCaller(workspace, role: .viewer, info: info, services: services) { caller in
            let version = try await services.alerts.listVersion(in: caller.workspace)
            let key = AnswerCache.Key(workspaceID: caller.workspace.id, query: query)
            if let hit = cache.answer(for: key, at: version) {
                metrics.recordReadCache(hit: true)
                return Response(status: .ok, headers: hit.headers, body: .init(byteBuffer: hit.body))
            }
            metrics.recordReadCache(hit: false)
            let response = try await APIController.$authenticated.withValue(.init(reference: workspace, role: .viewer, caller: caller)) {
                try await next(request, context)
            }
            guard response.status == .ok else { return response }
            let body = try await Self.collect(response.body)
            cache.store(.init(headers: response.headers, body: body), for: key, at: version)
            return Response(status: response.status, headers: response.headers, body: .init(byteBuffer: body))
        }
    }

    static func isListRoute(_ path: String?) -> Bool {
        path == route || path == "/v1/workspaces/:workspace/alerts"
    }

    /// The list answers JSON only; a request that would not take it goes to the generated handler.
    static func acceptsJSON(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept], !accept.isEmpty else { return true }
        return accept.split(separator: ",").contains { range in
            let type = range.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            return type == "application/json" || type == "application/*" || type == "*/*"
        }
    }

    static func collect(_ body: ResponseBody) async throws -> ByteBuffer {
        let collector = BodyCollector()
        try await body.write(CollectingWriter(collector: collector))
        return collector.buffer.withLock { $0 }
    }
}

/// The encoded answers `CachedAlertList` keeps, behind a lock (`VersionedAnswerCache` is the
/// bookkeeping and its bounds).
final class AnswerCache: Sendable {
    typealias Key = VersionedAnswerCache<Answer>.Key

    struct Answer: Sendable {
        var headers: HTTPFields
        var body: ByteBuffer
    }

    private let state: Mutex<VersionedAnswerCache<Answer>>
    let isEnabled: Bool

    init(limits: VersionedAnswerCache<Answer>.Limits) {
        state = Mutex(VersionedAnswerCache(limits: limits))
        isEnabled = limits.maxBytes > 0
    }

    func answer(for key: Key, at version: Int64) -> Answer? {
        state.withLock { $0.answer(for: key, at: version) }
    }

    func store(_ answer: Answer, for key: Key, at version: Int64) {
        // The query string is the tenant's to choose: it is memory too.
        state.withLock { _ = $0.store(answer, bytes: answer.body.readableBytes + key.query.utf8.count, for: key, at: version) }
    }
}

private final class BodyCollector: Sendable {
    let buffer = Mutex(ByteBuffer())
}

private struct CollectingWriter: ResponseBodyWriter {
    let collector: BodyCollector

    mutating func write(_ buffer: ByteBuffer) async throws {
        collector.buffer.withLock { $0.writeImmutableBuffer(buffer) }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
