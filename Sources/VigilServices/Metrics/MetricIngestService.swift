import Foundation
import VigilCore
import VigilRepositories

/// `POST …/metrics`: validates the whole batch, redacts tags, checks the quota, then stores
/// points, series, names and partial rollups in one transaction. Accepted whole or rejected
/// whole; the count is returned only after commit.
public struct MetricIngestService: Sendable {
    let database: Database
    let clock: WallClock
    public let configuration: MetricsConfiguration
    let caches = IngestCaches()
    let writes = MetricWriteRepository()
    let partitions = PartitionRepository()
    let workspaces = WorkspaceRepository()
    /// The workspace's caps: stored series and points per minute.
    let limits: WorkspaceLimitPolicy
    let rateLimiter: WorkspaceRateLimiter
    let limitCounts = WorkspaceLimitRepository()

    public init(database: Database, clock: WallClock, configuration: MetricsConfiguration, limits: WorkspaceLimitPolicy, rateLimiter: WorkspaceRateLimiter) {
        self.database = database
        self.clock = clock
        self.configuration = configuration
        self.limits = limits
        self.rateLimiter = rateLimiter
    }

    /// - Parameter idempotency: stores the answer under the request's `Idempotency-Key` in the
    ///   same transaction as the points.
    public func ingest(_ raw: [RawMetricPoint], into workspace: Workspace, idempotency: IdempotencyHook<Int>? = nil) async throws -> Int {
        let now = clock.now()
        let points: [MetricPoint]
        do {
            points = try PointValidator.validate(raw, now: now, retentionDays: workspace.settings.retentionDays.metrics,
                                                 limits: configuration.limits)
        } catch {
            throw ServiceError(error.validationFailure)
        }
        let kinds = try checkKinds(points, workspace: workspace.id)
        try await rateLimiter.spend(points.count, on: .ingestPoints, workspaceID: workspace.id)
        let redacted = redact(points, with: try await redactor(for: workspace))
        try await ensurePartitions(for: redacted)

        var seriesIDs: [SeriesKey: Int64] = [:]
        let located = redacted.map { point -> (seriesID: Int64, point: MetricPoint) in
            let key = point.seriesKey
            if let id = seriesIDs[key] { return (id, point) }
            let id = key.seriesID
            seriesIDs[key] = id
            return (id, point)
        }
        let newSeries = caches.unknownSeries(Array(seriesIDs.values), in: workspace.id, at: now)
        let staleNames = kinds.filter { name, _ in
            guard let cached = caches.name(name, in: workspace.id) else { return true }
            return now.timeIntervalSince(cached.refreshedAt) > IngestCaches.nameRefreshInterval
        }
        var totalIDs: [String: Int64] = [:]
        let totals = redacted.map { point -> Int64 in
            if let id = totalIDs[point.name] { return id }
            let id = SeriesKey.totalSeriesID(name: point.name)
            totalIDs[point.name] = id
            return id
        }
        // Each series' minutes, and each metric's total minutes (what unfiltered queries read).
        let partials = RollupPartials.of(redacted, seriesIDs: located.map(\.seriesID))
            + RollupPartials.of(redacted, seriesIDs: totals)

        let stored = try await database.inWorkspace(workspace.id) { connection -> [String: MetricKind] in
            let stored = try await writes.upsertNames(staleNames.map { ($0.key, $0.value, now) }, workspaceID: workspace.id, on: connection)
            if let clash = stored.first(where: { kinds[$0.key] != $0.value }) {
                let index = points.firstIndex { $0.name == clash.key } ?? 0
                throw ServiceError.invalid(field: "points[\(index)].kind",
                                           message: "metric '\(clash.key)' is a \(clash.value.rawValue); a point cannot make it a \(kinds[clash.key]?.rawValue ?? "?")")
            }
            try await insertSeriesWithinLimit(seriesIDs.filter { newSeries.contains($0.value) }.map { ($0.value, $0.key) },
                                              workspaceID: workspace.id, on: connection)
            try await writes.insertPoints(located, workspaceID: workspace.id, on: connection)
            try await writes.insertRollups(partials, workspaceID: workspace.id, on: connection)
            try await idempotency?.record(points.count, on: connection)  // the answer commits with the points
            return stored
        }
        caches.rememberSeries(newSeries, in: workspace.id, at: now)
        caches.rememberNames(stored, in: workspace.id, at: now)
        return points.count
    }

    /// One kind per metric name within the batch, and the kind this process last saw stored.
    private func checkKinds(_ points: [MetricPoint], workspace: UUID) throws -> [String: MetricKind] {
        var kinds: [String: MetricKind] = [:]
        for (index, point) in points.enumerated() {
            let known = kinds[point.name] ?? caches.name(point.name, in: workspace)?.kind
            if let known, known != point.kind {
                throw ServiceError.invalid(field: "points[\(index)].kind",
                                           message: "metric '\(point.name)' is a \(known.rawValue); a point cannot make it a \(point.kind.rawValue)")
            }
            kinds[point.name] = point.kind
        }
        return kinds
    }

    /// The workspace's redaction policy (`VIGIL_REDACTION=off` turns redaction off for all), with
    /// its pseudonymisation secret when the policy pseudonymises.
    private func redactor(for workspace: Workspace) async throws -> PIIRedactor? {
        guard configuration.redaction.enabled, workspace.settings.redaction.enabled else { return nil }
        let policy = workspace.settings.redaction
        guard policy.mode == .pseudonymize else { return PIIRedactor(policy: policy) }
        if let key = caches.pseudonymKey(for: workspace.id) { return PIIRedactor(policy: policy, pseudonymKey: key) }
        let key = try await database.inWorkspace(workspace.id) { try await workspaces.pseudonymKey(on: $0) }
        if let key { caches.rememberPseudonymKey(key, for: workspace.id) }
        return PIIRedactor(policy: policy, pseudonymKey: key)
    }

    /// Tags redacted before anything is stored; repeated names and values (hosts, endpoints)
    /// are redacted once per request.
    private func redact(_ points: [MetricPoint], with redactor: PIIRedactor?) -> [MetricPoint] {
        guard let redactor else { return points }
        var memo = PIITagMemo(redactor: redactor)
        return points.map { point in
            var copy = point
            copy.tags = memo.redact(point.tags)
            return copy
        }
    }

    /// Daily partitions for every day the batch touches (backfills reach back up to the retention).
    private func ensurePartitions(for points: [MetricPoint]) async throws {
        let days = Set(points.map { Int(($0.timestamp.timeIntervalSince1970 / 86_400).rounded(.down)) })
        let missing = caches.missingPartitionDays(days)
        guard !missing.isEmpty else { return }
        try await database.platform { connection in
            for day in missing.sorted() {
                try await partitions.ensure(parent: "metric_points", firstDay: Date(timeIntervalSince1970: Double(day) * 86_400),
                                            days: 1, on: connection)
            }
        }
        caches.rememberPartitionDays(missing)
    }
}
