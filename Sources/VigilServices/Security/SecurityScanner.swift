import Foundation
import Logging
import VigilCore
import VigilRepositories

/// The attack scan of one workspace (job `security.scan`, fanned out every five minutes to the
/// workspaces with events in the last 20): runs the detectors over the last 15 minutes, stores
/// each new finding, raises its sources' scores (which may block them), opens an alert, and
/// forgets addresses whose scores have decayed away.
public struct SecurityScanner: Sendable {
    let database: Database
    let clock: WallClock
    let alerts: AlertService
    let logger: Logger
    let events = SecurityEventRepository()
    let detections = SecurityDetectionRepository()
    let addresses = SecurityIPRepository()

    static let actor = "vigil:security"
    /// Scores below this (after decay) are forgotten unless a block or exemption holds them.
    static let forgetBelow = 0.5

    public struct Report: Sendable, Equatable {
        public var signals = 0
        public var detections = 0
        public var blocked = 0
        public var forgotten = 0

        public init() {}
    }

    public init(database: Database, clock: WallClock, alerts: AlertService, logger: Logger) {
        self.database = database
        self.clock = clock
        self.alerts = alerts
        self.logger = logger
    }

    /// Enqueues a scan in every workspace with events in the last 20 minutes; returns how many.
    @discardableResult
    public func dispatch() async throws -> Int {
        let since = clock.now().addingTimeInterval(-(AttackDetection.window + 5 * 60))
        return try await WorkspaceFanOut(database: database).enqueue(SecurityJobs.ScanArgs(), uniqueKey: SecurityJobs.ScanArgs.uniqueKey,
                                                                     inWorkspacesListedBy: { try await events.workspacesWithActivity(since: since, on: $0) })
    }

    public func scan(_ workspace: Workspace) async throws -> Report {
        let now = clock.now(), settings = workspace.settings.security
        let windowStart = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / AttackDetection.window).rounded(.down) * AttackDetection.window)
        var report = Report()
        let (stored, blocked) = try await database.inWorkspace(workspace.id) { connection -> ([SecurityDetectionRecord], [SecurityIPState]) in
            let signals = try await events.signals(since: now.addingTimeInterval(-AttackDetection.window), on: connection)
            report.signals = signals.count
            var stored: [SecurityDetectionRecord] = []
            var points: [String: SecurityScoring.Points] = [:]
            let known = try await addresses.find(sourceKeys: Array(Set(signals.map(\.source))), on: connection)
            let networkOf = Dictionary(known.map { ($0.sourceKey, $0.network) }, uniquingKeysWith: { first, _ in first })
            for finding in AttackDetection.detect(signals) {
                let record = SecurityDetectionRecord(id: UUID(), finding: finding, windowStart: windowStart, detectedAt: now, alertID: nil)
                guard try await detections.insert(record, on: connection) else { continue }
                stored.append(record)
                for source in finding.sources {
                    // A pseudonymised source scores through the address its state row keeps.
                    guard let network = networkOf[source] ?? SecurityAddress(source)?.description else { continue }
                    points[network, default: .init(network: network, sourceKey: source, points: 0, events: 0, lastEventAt: nil)].points += finding.points
                }
            }
            let blocked = try await SecurityScoring(addresses: addresses, actor: Self.actor)
                .score(points.values.sorted { $0.network < $1.network }, settings: settings, now: now, on: connection)
            report.forgotten = try await addresses.pruneDecayed(at: now, halfLifeMinutes: settings.halfLifeMinutes, floor: Self.forgetBelow, on: connection)
            return (stored, blocked)
        }
        report.detections = stored.count
        report.blocked = blocked.count
        try await SecurityAlerts(alerts: alerts).raise(blocked, in: workspace)
        for record in stored {
            let alertID = try await raise(record, in: workspace)
            try await database.inWorkspace(workspace.id) { try await detections.setAlert(detectionID: record.id, alertID: alertID, on: $0) }
        }
        return report
    }

    /// One alert per finding, named as in the reference systems (dedup key
    /// `security:<kind>:<subject>`: an ongoing campaign stays one open alert).
    private func raise(_ record: SecurityDetectionRecord, in workspace: Workspace) async throws -> UUID {
        let f = record.finding
        let evidence = f.evidence.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        let submission = AlertSubmission(
            title: String("\(f.kind.alertName): \(f.subject)".prefix(AlertInputRules.titleLength.upperBound)),
            message: String("\(f.kind.alertName) detected for \(f.subject) (\(evidence)); sources: \(f.sources.prefix(10).joined(separator: ", "))"
                .prefix(AlertInputRules.maxMessageLength)),
            severity: .critical, source: Self.actor,
            labels: ["alertname": f.kind.alertName, "detection": f.kind.rawValue],
            annotations: ["detection_id": record.id.uuidString.lowercased(), "subject": String(f.subject.prefix(200))],
            dedupKey: Self.dedupKey(f), origin: .internal)
        return try await alerts.submit(submission, in: workspace, actor: Self.actor).0.id
    }

    /// `security:<kind>:<subject>`, the subject hashed when it would pass the key's 255 bytes.
    static func dedupKey(_ finding: AttackFinding) -> String {
        let key = "security:\(finding.kind.rawValue):\(finding.subject)"
        return key.utf8.count <= AlertFingerprint.maxDedupKeyBytes ? key : "security:\(finding.kind.rawValue):sha256:\(SHA256Hex.hex(of: finding.subject))"
    }
}
