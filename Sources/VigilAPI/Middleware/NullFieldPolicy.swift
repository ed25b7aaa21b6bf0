import Foundation
import HTTPTypes
import VigilCore

/// The request-body fields the spec declares nullable; any other `null` is a 400 naming the
/// field. Kept in step with openapi.yaml by `scripts/spec-constraints.py`, which sends `null`
/// to every non-nullable body property of the live server and expects 400.
enum NullFieldPolicy {
    private enum Allowance { case fields(Set<String>), any }

    /// Operations whose body may hold a null, by method and path template (the last segments).
    private static let allowances: [(method: HTTPRequest.Method, suffix: [String], allowance: Allowance)] = [
        (.post, ["escalation-policies"], .fields(["ack_timeout_minutes"])),
        (.put, ["escalation-policies", "{}"], .fields(["ack_timeout_minutes"])),
        (.put, ["kpis", "{}"], .fields(["target"])),
        // Alertmanager (Go) writes nil maps as null and may add fields of any type; the core
        // parser (AlertmanagerWebhookMessage) reads nulls as absent, as the spec says.
        (.post, ["integrations", "alertmanager"], .any),
        // The ingest fast path has its own strict parser: timestamp and tags may be null, and
        // unknown keys of any value are skipped (MetricPointInput).
        (.post, ["metrics"], .any),
    ]

    /// Throws 400 `invalid_request` with `details.field` for the first null the operation's
    /// body may not hold.
    static func check(_ body: some Collection<UInt8>, method: HTTPRequest.Method, path: String) throws(APIError) {
        // Operations that take any null skip the scan (the metric ingest body is the largest).
        let allowance = allowance(method: method, path: path)
        if case .any = allowance { return }
        guard JSONNulls.mayContain(body) else { return }
        var allowed: Set<String> = []
        if case .fields(let fields) = allowance { allowed = fields }
        if let field = JSONNulls.paths(in: Data(body)).first(where: { !allowed.contains($0) }) {
            throw APIError(status: .badRequest, code: "invalid_request", message: "field '\(field)' must not be null",
                           details: ["field": field])
        }
    }

    private static func allowance(method: HTTPRequest.Method, path: String) -> Allowance? {
        let segments = path.split(separator: "?", maxSplits: 1).first.map { $0.split(separator: "/").map(String.init) } ?? []
        // Every body-carrying workspace operation is /v1/workspaces/{workspace}/…
        guard segments.count >= 4, segments[0] == "v1", segments[1] == "workspaces" else { return nil }
        let rest = Array(segments.dropFirst(3))
        for entry in allowances where entry.method == method && entry.suffix.count == rest.count {
            if zip(entry.suffix, rest).allSatisfy({ $0 == "{}" || $0 == $1 }) { return entry.allowance }
        }
        return nil
    }
}
