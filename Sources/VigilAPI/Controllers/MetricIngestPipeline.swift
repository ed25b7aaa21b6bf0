import VigilCore
import VigilServices

/// `POST /v1/workspaces/{workspace}/metrics`, shared by the generated `ingestMetrics` handler
/// and `MetricIngestFastPath`: authenticate an ingest key, read the points, ingest them. The
/// two differ only in transport — how the body becomes points and how the count is written —
/// so status codes, error envelopes, the order of checks and `Idempotency-Key` handling cannot
/// drift apart.
struct MetricIngestPipeline: Sendable {
    let services: Services
    /// Counts every batch's outcome and the points accepted (`vigil_ingest_*` on /metrics).
    let metrics: HTTPMetrics

    /// The stored answer's body (`{"accepted": n}`, status 200).
    struct Answer: Codable, Sendable {
        var accepted: Int
    }

    /// Runs the pipeline and returns how many points were accepted (the body is
    /// `{"accepted": n}` with 200 on either transport); on a replay of an `Idempotency-Key`,
    /// the count of the first answer, with nothing stored again.
    /// - Parameter idempotencyKey: the `Idempotency-Key` header's value, if any.
    /// - Parameter readPoints: reads and parses the body; called only once the key is accepted,
    ///   so an unauthenticated caller is refused before its body is read.
    func ingest(workspace: String, request info: RequestInfo, idempotencyKey: String? = nil,
                readPoints: () async throws -> [RawMetricPoint]) async throws -> Int {
        do {
            var applied = false
            let accepted = try await APIController.withCaller(workspace, role: .ingest, info: info, services: services) { caller in
                let key = try IdempotencySupport.key(idempotencyKey)
                let points = try await readPoints()
                guard let key else {
                    defer { applied = true }
                    return try await services.metricIngest.ingest(points, into: caller.workspace)
                }
                let request = IdempotencyRequest(operation: .ingestMetrics, key: key,
                                                  fingerprint: try RequestFingerprint.of(.ingestMetrics, value: points))
                let answer = try await services.idempotency.perform(request, in: caller.workspace.id, respond: {
                    try IdempotencySupport.answer(Answer(accepted: $0), status: 200)
                }) { hook in
                    let accepted = try await services.metricIngest.ingest(points, into: caller.workspace, idempotency: hook)
                    applied = true
                    return accepted
                }
                return try IdempotencySupport.body(Answer.self, of: answer).accepted
            }
            metrics.recordIngest(outcome: applied ? .accepted : .replayed, points: applied ? accepted : 0)
            return accepted
        } catch {
            metrics.recordIngest(outcome: IngestOutcome(refusal: error), points: 0)
            throw error
        }
    }
}
