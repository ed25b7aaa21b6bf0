import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import VigilCore
import VigilServices

/// GET answers that clients poll (issue 17), served from memory while the data behind them is
/// unchanged: the alerts list (dashboards, clients) and metric stats and series (dashboards,
/// Grafana). Every request still authenticates (the verified-key cache and its rate limits)
/// and reads its route's version in one round trip, in a transaction that re-checks the key's
/// revocation under row-level security; only reading, decoding and encoding the answer is
/// skipped, and only while the version is the one the stored answer was computed at. Triggers
/// bump the versions in the transaction of any change, from any process: the alert-list
/// version (migration 0029) and the metrics read version (migration 0030, rollups and series).
///
/// On a miss the generated handler answers as always, and its 200 answer is kept tagged with
/// the version read *before* it ran: an answer is never tagged newer than its content.
/// Concurrent misses of one answer at one version are computed once (`AnswerFlights`). The
/// caller authenticated here is handed to that handler, so a miss counts once against the
/// workspace's request limit. Anything else (errors, other statuses, an `Accept` that does not
/// take JSON) passes through untouched.
struct CachedReads: RouterMiddleware {
    typealias Context = VigilRequestContext

    /// A route whose answers are kept, and what its answers depend on besides the request.
    struct CachedRoute: Sendable {
        /// The `read` label of `vigil_read_cache_requests_total`.
        let label: String
        let template: String
        /// Metric answers cover a window ending with the current minute: the minute is part
        /// of the key, so an answer is never served once its window has moved on.
        let keyedByMinute: Bool
        let version: @Sendable (Services, Workspace) async throws -> Int64
    }

    static let routes: [CachedRoute] = [
        CachedRoute(label: "alerts", template: "/v1/workspaces/{workspace}/alerts", keyedByMinute: false) {
            try await $0.alerts.listVersion(in: $1)
        },
        CachedRoute(label: "metric_stats", template: "/v1/workspaces/{workspace}/metrics/{name}/stats", keyedByMinute: true) {
            try await $0.metricQueries.readVersion(in: $1.id)
        },
        CachedRoute(label: "metric_series", template: "/v1/workspaces/{workspace}/metrics/{name}/series", keyedByMinute: true) {
            try await $0.metricQueries.readVersion(in: $1.id)
        },
    ]

    let services: Services
    let cache: AnswerCache
    let flights = AnswerFlights()
    let metrics: HTTPMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard cache.isEnabled, request.method == .get, let route = Self.route(of: context.endpointPath), Self.acceptsJSON(request),
              let workspace = context.parameters.get("workspace"), let info = RequestInfo.current else {
            return try await next(request, context)
        }
        let selection = Self.selection(path: request.uri.path, query: request.uri.query, route: route, now: services.clock.now())
        return try await APIController.withCaller(workspace, role: .viewer, info: info, services: services) { caller in
            // The version and, on a miss, the answer are read from one server (primary or replica).
            try await Services.withOneReadServer {
                let version = try await route.version(services, caller.workspace)
                let key = AnswerCache.Key(workspaceID: caller.workspace.id, selection: selection)
                if let hit = cache.answer(for: key, at: version) {
                    metrics.recordReadCache(route.label, result: .hit)
                    return Self.response(hit)
                }
                let flight: AnswerFlights.Flight?
                switch flights.join(key, at: version) {
                case .follower(let running):
                    if let shared = await running.wait() {
                        metrics.recordReadCache(route.label, result: .shared)
                        return Self.response(shared)
                    }
                    flight = nil  // the leader had nothing to share: compute as it did
                case .leader(let leading):
                    flight = leading
                }
                metrics.recordReadCache(route.label, result: .miss)
                var answer: AnswerCache.Answer?
                defer { if let flight { flights.land(flight, key: key, at: version, with: answer) } }
                let response = try await APIController.$authenticated.withValue(.init(reference: workspace, role: .viewer, caller: caller)) {
                    try await next(request, context)
                }
                guard response.status == .ok else { return response }
                let computed = AnswerCache.Answer(headers: response.headers, body: try await AnswerCache.collect(response.body))
                cache.store(computed, for: key, at: version)
                answer = computed
                return Self.response(computed)
            }
        }
    }

    static func response(_ answer: AnswerCache.Answer) -> Response {
        Response(status: .ok, headers: answer.headers, body: .init(byteBuffer: answer.body))
    }

    /// What selects an answer within its workspace: the path (it names the metric), the query,
    /// and for metric routes the minute the window ends with (taken before the answer is).
    static func selection(path: String, query: String?, route: CachedRoute, now: Date) -> String {
        let selection = path + "?" + (query ?? "")
        guard route.keyedByMinute else { return selection }
        return selection + "@\(Int((now.timeIntervalSince1970 / 60).rounded(.down)))"
    }

    /// The cached route `path` (a route template, in OpenAPI's or the router's spelling) is.
    static func route(of path: String?) -> CachedRoute? {
        guard let path else { return nil }
        let template = path.replacingOccurrences(of: ":workspace", with: "{workspace}").replacingOccurrences(of: ":name", with: "{name}")
        return routes.first { $0.template == template }
    }

    /// These answers are JSON only; a request that would not take it goes to the generated handler.
    static func acceptsJSON(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept], !accept.isEmpty else { return true }
        return accept.split(separator: ",").contains { range in
            let type = range.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            return type == "application/json" || type == "application/*" || type == "*/*"
        }
    }
}
