import VigilCore
import VigilServices

/// `POST /v1/workspaces/{workspace}/metrics`, shared by the generated `ingestMetrics` handler
/// and `MetricIngestFastPath`: authenticate an ingest key, read the points, ingest them. The
/// two differ only in transport — how the body becomes points and how the count is written —
/// so status codes, error envelopes and the order of checks cannot drift apart.
struct MetricIngestPipeline: Sendable {
    let services: Services
    /// Counts every batch's outcome and the points accepted (`vigil_ingest_*` on /metrics).
    let metrics: HTTPMetrics

    /// Runs the pipeline and returns how many points were accepted (the body is
    /// `{"accepted": n}` with 200 on either transport).
    /// - Parameter readPoints: reads and parses the body; called only once the key is accepted,
    ///   so an unauthenticated caller is refused before its body is read.
    func ingest(workspace: String, request info: RequestInfo,
                readPoints: () async throws -> [RawMetricPoint]) async throws -> Int {
        do {
            let accepted = try await APIController.withCaller(workspace, role: .ingest, info: info, services: services) { caller in
                let points = try await readPoints()
                return try await services.metricIngest.ingest(points, into: caller.workspace)
            }
            metrics.recordIngest(outcome: .accepted, points: accepted)
            return accepted
        } catch {
            metrics.recordIngest(outcome: IngestOutcome(refusal: error), points: 0)
            throw error
        }
    }
}
