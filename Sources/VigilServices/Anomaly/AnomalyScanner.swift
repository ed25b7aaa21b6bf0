import Foundation
import Logging
import VigilCore
import VigilPrimitives
import VigilRepositories

/// The 15-minute scan of one workspace: per enabled detector, the statistic of each complete
/// 15-minute bucket since the last scan (from the minute rollups; the first scan backfills the
/// 8 days the seasonal baseline needs), stored as the detector's history; then the newest
/// buckets judged against that history. Findings are stored; those at or above the detector's
/// alert severity become alerts. A failing detector records its error and the others go on.
public struct AnomalyScanner: Sendable {
    static let actor = "anomaly-detector"
    /// Buckets older than this when first computed are history, not judged: a first scan must
    /// not report a week of anomalies at once.
    public static let judgedBuckets = 4

    let database: Database
    let clock: WallClock
    let alerts: AlertService
    let limits: WorkspaceLimitPolicy
    let logger: Logger
    let repository = AnomalyRepository()

    public init(database: Database, clock: WallClock, alerts: AlertService, limits: WorkspaceLimitPolicy, logger: Logger) {
        self.database = database
        self.clock = clock
        self.alerts = alerts
        self.limits = limits
        self.logger = logger
    }

    /// The platform tick: one `anomaly.scan` per workspace with enabled detectors.
    @discardableResult
    public func dispatch() async throws -> Int {
        try await WorkspaceFanOut(database: database).enqueue(AnomalyJobs.ScanArgs(), uniqueKey: AnomalyJobs.ScanArgs.uniqueKey,
                                                              inWorkspacesListedBy: repository.workspacesWithDetectors)
    }

    public struct Report: Sendable, Equatable {
        public var detectors = 0
        public var anomalies = 0
        public var alerted = 0
        public var failed = 0

        public init(detectors: Int = 0, anomalies: Int = 0, alerted: Int = 0, failed: Int = 0) {
            self.detectors = detectors
            self.anomalies = anomalies
            self.alerted = alerted
            self.failed = failed
        }
    }

    public func scan(in workspace: Workspace) async throws -> Report {
        let now = clock.now()
        let detectors = try await database.inWorkspace(workspace.id) { try await repository.enabledDetectors(on: $0) }
        var report = Report()
        for stored in detectors {
            report.detectors += 1
            do {
                let definition = try StoredJSON.decode(AnomalyDetectorDefinition.self, stored.specJSON, row: "anomaly_detectors \(stored.id.lowercased)")
                let (found, alerted) = try await scan(stored.id, definition, in: workspace, now: now)
                report.anomalies += found
                report.alerted += alerted
                try await database.inWorkspace(workspace.id) { try await repository.recordScan(detectorID: stored.id, at: now, error: nil, on: $0) }
            } catch {
                report.failed += 1
                logger.warning("anomaly scan failed", metadata: ["detector_id": "\(stored.id.lowercased)", "error": "\(error)"])
                try await database.inWorkspace(workspace.id) {
                    try await repository.recordScan(detectorID: stored.id, at: now, error: ServiceError.recordedReason(error), on: $0)
                }
            }
        }
        try await prune(workspace, now: now)
        return report
    }

    private func scan(_ id: UUID, _ definition: AnomalyDetectorDefinition, in workspace: Workspace, now: Date) async throws -> (found: Int, alerted: Int) {
        let seconds = Double(AnomalyDetectorDefinition.bucketSeconds)
        let oldest = AnomalyScanPlan.bucketStart(now).addingTimeInterval(-Double(AnomalyScanPlan.historyBuckets) * seconds)
        var (history, last) = try await database.inWorkspace(workspace.id) { try await repository.values(detectorID: id, since: oldest, on: $0) }
        let buckets = AnomalyScanPlan.newBuckets(lastStored: last, now: now)
        guard let first = buckets.first, let newest = buckets.last else { return (0, 0) }
        let computed = try await values(of: definition, buckets: first..<newest.addingTimeInterval(seconds), in: workspace)
        let rows = buckets.map { (bucket: $0, value: computed[$0]) }
        try await database.inWorkspace(workspace.id) { try await repository.saveValues(rows, detectorID: id, workspaceID: workspace.id, on: $0) }
        for (bucket, value) in computed { history[bucket] = value }

        let (slots, series) = AnomalyScanPlan.series(history, through: newest)
        var found = 0, alerted = 0
        for bucket in buckets.suffix(Self.judgedBuckets) {
            guard let index = slots.firstIndex(of: bucket),
                  let finding = AnomalyBaseline.scan(series, at: index, detectors: Set(definition.detectors), baseline: definition.baseline,
                                                     sensitivity: definition.sensitivity, bucketSeconds: AnomalyDetectorDefinition.bucketSeconds)
            else { continue }
            let anomaly = AnomalyRecord(id: UUID(), detectorID: id, bucket: bucket, detectedAt: now, finding: finding, severity: finding.severity, alertID: nil)
            guard try await database.inWorkspace(workspace.id, { try await repository.insertAnomaly(anomaly, workspaceID: workspace.id, on: $0) }) else { continue }
            found += 1
            if finding.severity >= definition.alertSeverity {
                let alertID = try await raise(anomaly, definition: definition, in: workspace)
                try await database.inWorkspace(workspace.id) { try await repository.setAlert(anomalyID: anomaly.id, alertID: alertID, on: $0) }
                alerted += 1
            }
        }
        return (found, alerted)
    }

    /// The statistic per 15-minute bucket in `range`, from the minute rollups of the selected
    /// series; buckets without points are absent. Bounded like any query (`max_query_cost`).
    private func values(of definition: AnomalyDetectorDefinition, buckets range: Range<Date>, in workspace: Workspace) async throws -> [Date: Double] {
        let selection = AlertRuleSelection()
        return try await database.inWorkspace(workspace.id) { connection in
            guard let selected = try await selection.select(metric: definition.metric, matchers: definition.matchers, groupBy: [], on: connection) else {
                return [:]
            }
            let minutes = Int(range.upperBound.timeIntervalSince(range.lowerBound) / 60)
            if case .refused(let message) = try await limits.limits(for: workspace.id, on: connection)
                .admitsQuery(windowMinutes: minutes, groups: selected.groupOf.count) {
                throw ServiceError.queryTooLarge("\(message) (this scan: \(minutes) minutes × \(selected.groupOf.count) series)")
            }
            var sketches: [Date: QuantileSketch] = [:]
            for (minute, groups) in try await selection.perMinute(selected, range: range, on: connection) {
                let bucket = AnomalyScanPlan.bucketStart(minute)
                for group in groups.values { sketches[bucket, default: QuantileSketch()].merge(group.sketch) }
            }
            return sketches.compactMapValues {
                definition.statistic.value(of: $0, kind: selected.kind, windowSeconds: Double(AnomalyDetectorDefinition.bucketSeconds))
            }
        }
    }

    /// An alert per anomaly (dedup key `anomaly:<detector>:<bucket>` in Vigil's namespace).
    private func raise(_ anomaly: AnomalyRecord, definition: AnomalyDetectorDefinition, in workspace: Workspace) async throws -> UUID {
        let f = anomaly.finding
        let bucket = TimestampText.rfc3339(microsecondsSince1970: anomaly.bucket.microsecondsSince1970)
        let title = "Anomaly in \(definition.name): \(definition.statistic.rawValue) of \(definition.metric) \(f.direction.rawValue) normal"
        let message = "\(definition.statistic.rawValue) of \(definition.metric) was \(AlertRuleTemplate.plain(f.value)) in the 15 minutes from \(bucket); "
            + "expected about \(AlertRuleTemplate.plain(f.expected)) (\(f.detector.rawValue), \(definition.baseline.rawValue) baseline, score \(String(format: "%.1f", f.score)))"
        let submission = AlertSubmission(
            title: String(title.prefix(AlertInputRules.titleLength.upperBound)), message: message, severity: anomaly.severity, source: Self.actor,
            labels: ["alertname": "Anomaly", "detector": definition.name, "metric": definition.metric],
            annotations: ["anomaly_id": anomaly.id.lowercased, "detector_kind": f.detector.rawValue],
            dedupKey: "anomaly:\(anomaly.detectorID.lowercased):\(Int64(anomaly.bucket.timeIntervalSince1970))", origin: .internal)
        return try await alerts.submit(submission, in: workspace, actor: Self.actor).0.id
    }

    /// History older than the seasonal baseline needs, and anomalies older than the workspace's
    /// alert retention.
    private func prune(_ workspace: Workspace, now: Date) async throws {
        let history = AnomalyScanPlan.bucketStart(now).addingTimeInterval(-Double(AnomalyScanPlan.historyBuckets + 96) * Double(AnomalyDetectorDefinition.bucketSeconds))
        let anomalies = now.addingTimeInterval(-Double(workspace.settings.retentionDays.alerts) * 86_400)
        try await database.inWorkspace(workspace.id) { connection in
            try await repository.pruneValues(before: history, on: connection)
            try await repository.pruneAnomalies(before: anomalies, on: connection)
        }
    }
}
