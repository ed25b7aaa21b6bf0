import Foundation
import Synchronization
import VigilCore
import VigilPrimitives
import VigilRepositories

/// What one ingest batch did: events stored and the addresses it blocked.
public struct SecurityIngestResult: Sendable, Equatable {
    public var accepted: Int
    public var blocked: [String]
}

/// Security event intake (`POST …/security/events`) and listing. A batch is validated whole,
/// charged to the workspace's per-minute ingest budget, redacted, stored, and scored in one
/// transaction; addresses it pushes over the block threshold are blocked in that transaction
/// and alerted on after it commits.
public struct SecurityEventService: Sendable {
    let database: Database
    let clock: WallClock
    let rateLimiter: WorkspaceRateLimiter
    let alerts: AlertService
    let events = SecurityEventRepository()
    let addresses = SecurityIPRepository()
    let workspaces = WorkspaceRepository()
    let partitions = PartitionRepository()
    let knownPartitionDays = PartitionDays()
    let activityTouched = ActivityMemo()

    static let actor = "vigil:security"

    public init(database: Database, clock: WallClock, rateLimiter: WorkspaceRateLimiter, alerts: AlertService) {
        self.database = database
        self.clock = clock
        self.rateLimiter = rateLimiter
        self.alerts = alerts
    }

    public func ingest(_ batch: [SecurityEvent], in workspace: Workspace) async throws -> SecurityIngestResult {
        guard (1...SecurityEventRules.maxEventsPerBatch).contains(batch.count) else {
            throw ServiceError.invalid(field: "events", message: "send 1-\(SecurityEventRules.maxEventsPerBatch) events")
        }
        let now = clock.now()
        for (index, event) in batch.enumerated() {
            if let problem = SecurityEventRules.validate(event, now: now) {
                throw ServiceError.invalid(field: "events[\(index)].\(problem.field)", message: problem.message)
            }
        }
        // Security events share the metric points' per-minute budget: one event, one point.
        try await rateLimiter.spend(batch.count, on: .ingestPoints, workspaceID: workspace.id)
        let privacy = try await SecurityEventPrivacy.make(for: workspace, database: database, workspaces: workspaces)
        let stored = batch.map { StoredSecurityEvent(id: UUID(), event: privacy.redact($0), receivedAt: now) }
        try await ensurePartitions(for: batch.map(\.timestamp))
        let settings = workspace.settings.security
        let newBlocks = try await database.inWorkspace(workspace.id) { connection in
            try await events.insert(stored, workspaceID: workspace.id, on: connection)
            // The workspace's one activity row would serialise every batch: touched once a minute per process.
            if activityTouched.isDue(workspace.id, now: now) {
                try await events.touchActivity(at: now, workspaceID: workspace.id, on: connection)
            }
            return try await SecurityScoring(addresses: addresses, actor: Self.actor)
                .score(Self.points(batch, privacy: privacy, settings: settings), settings: settings, now: now, on: connection)
        }
        try await SecurityAlerts(alerts: alerts).raise(newBlocks, in: workspace)
        return SecurityIngestResult(accepted: batch.count, blocked: newBlocks.map(\.network))
    }

    /// Points per address in the batch, with the key its events are stored under.
    static func points(_ batch: [SecurityEvent], privacy: SecurityEventPrivacy, settings: SecuritySettings) -> [SecurityScoring.Points] {
        var byNetwork: [String: SecurityScoring.Points] = [:]
        for event in batch {
            guard let text = event.sourceIP, let address = SecurityAddress(text) else { continue }
            let network = address.description
            var entry = byNetwork[network] ?? SecurityScoring.Points(network: network, sourceKey: privacy.sourceKey(for: address),
                                                                      points: 0, events: 0, lastEventAt: event.timestamp)
            entry.points += settings.weight(of: event.kind)
            entry.events += 1
            entry.lastEventAt = max(entry.lastEventAt ?? event.timestamp, event.timestamp)
            byNetwork[network] = entry
        }
        return byNetwork.values.sorted { $0.network < $1.network }
    }

    public func list(in workspace: Workspace, filter: SecurityEventFilter, limit: Int?, cursor: String?) async throws -> Page<StoredSecurityEvent> {
        var filter = filter
        if let sub = filter.subKind, !SecurityEventRules.isValidSubKind(sub) {
            throw ServiceError.invalid(field: "sub_kind", message: "sub_kind must be 1-64 characters of a-z 0-9 _")
        }
        if let ip = filter.sourceIP {
            guard let address = SecurityAddress(ip), address.isSingleAddress else {
                throw ServiceError.invalid(field: "source_ip", message: "source_ip must be one IPv4 or IPv6 address")
            }
            let privacy = try await SecurityEventPrivacy.make(for: workspace, database: database, workspaces: workspaces)
            filter.sourceIP = privacy.sourceKey(for: address)
        }
        return try await paged(limit: limit, cursor: cursor, position: { TimeCursor(createdAt: $0.event.timestamp, id: $0.id) }) { request in
            try await database.inWorkspace(workspace.id) { connection in
                try await events.list(filter, after: request.cursor, limit: request.limit, on: connection)
            }
        }
    }

    /// Daily partitions for the days the batch touches (late events reach back up to 7 days).
    private func ensurePartitions(for times: [Date]) async throws {
        let days = Set(times.map { Int(($0.timeIntervalSince1970 / 86_400).rounded(.down)) })
        let missing = knownPartitionDays.missing(days)
        guard !missing.isEmpty else { return }
        try await database.platform { connection in
            for day in missing.sorted() {
                try await partitions.ensure(parent: "security_events", firstDay: Date(timeIntervalSince1970: Double(day) * 86_400), days: 1, on: connection)
            }
        }
        knownPartitionDays.remember(missing)
    }
}

/// The days whose `security_events` partition this process knows exists.
final class PartitionDays: Sendable {
    private let days = Mutex(Set<Int>())

    func missing(_ wanted: Set<Int>) -> Set<Int> { days.withLock { wanted.subtracting($0) } }
    func remember(_ known: Set<Int>) { days.withLock { $0.formUnion(known) } }
}

/// When this process last marked each workspace's security activity (the scan's fan-out looks
/// 20 minutes back, so a minute's staleness changes nothing).
final class ActivityMemo: Sendable {
    static let interval: TimeInterval = 60
    private let touched = Mutex([UUID: Date]())

    func isDue(_ workspace: UUID, now: Date) -> Bool {
        touched.withLock { touched in
            if let last = touched[workspace], now.timeIntervalSince(last) < Self.interval, now >= last { return false }
            if touched.count >= 100_000 { touched.removeAll() }   // bounded; forgetting only costs a touch
            touched[workspace] = now
            return true
        }
    }
}
