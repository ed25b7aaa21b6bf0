import Foundation
import VigilCore
import VigilRepositories

/// An SLO with its latest evaluation.
public struct SLOView: Sendable {
    public var id: UUID
    public var definition: SLODefinition
    public var createdAt: Date
    public var latest: SLOEvaluationRecord?
}

/// SLOs: definitions, the hourly evaluation (compliance so far, error budget left, 1 h and 6 h
/// burn rates) and burn-rate alerts raised through the alert pipeline, deduplicated per SLO.
public struct SLOService: Sendable {
    let database: Database
    let clock: WallClock
    let alerts: AlertService
    let repository = SLORepository()
    /// The per-workspace cap on stored SLOs (`WorkspaceLimits`).
    let quota: ConfigObjectQuota

    public init(database: Database, clock: WallClock, alerts: AlertService, limits: WorkspaceLimitPolicy) {
        self.database = database
        self.clock = clock
        self.alerts = alerts
        self.quota = ConfigObjectQuota(.slo, limits)
    }

    public func create(_ definition: SLODefinition, in workspace: Workspace) async throws -> SLOView {
        if let problem = definition.validate() { throw ServiceError(problem) }
        let id = UUID()
        let json = String(decoding: try JSONEncoder.sortedKeys.encode(definition), as: UTF8.self)
        let created = try await database.inWorkspace(workspace.id) { connection in
            try await quota.reserve(workspaceID: workspace.id, on: connection)
            return try await repository.insert(id: id, specJSON: json, workspaceID: workspace.id, on: connection)
        }
        return SLOView(id: id, definition: definition, createdAt: created, latest: nil)
    }

    public func list(in workspace: Workspace) async throws -> [SLOView] {
        try await database.inWorkspace(workspace.id) { connection in
            var views: [SLOView] = []
            for row in try await repository.all(on: connection) {
                let definition = try StoredJSON.decode(SLODefinition.self, row.specJSON, row: "slos \(row.id.lowercased)")
                let latest = try await repository.evaluations(sloID: row.id, since: Date(timeIntervalSince1970: 0), limit: 1, on: connection).first
                views.append(SLOView(id: row.id, definition: definition, createdAt: row.createdAt, latest: latest))
            }
            return views
        }
    }

    public func get(_ id: UUID, in workspace: Workspace) async throws -> SLOView {
        try await database.inWorkspace(workspace.id) { connection in
            guard let row = try await repository.find(id: id, on: connection) else { throw ServiceError.notFound("no SLO \(id.uuidString.lowercased())") }
            let definition = try StoredJSON.decode(SLODefinition.self, row.specJSON, row: "slos \(id.lowercased)")
            let latest = try await repository.evaluations(sloID: id, since: Date(timeIntervalSince1970: 0), limit: 1, on: connection).first
            return SLOView(id: id, definition: definition, createdAt: row.createdAt, latest: latest)
        }
    }

    public func delete(_ id: UUID, in workspace: Workspace) async throws {
        try await database.inWorkspace(workspace.id) { connection in
            guard try await repository.delete(id: id, on: connection) else { throw ServiceError.notFound("no SLO \(id.uuidString.lowercased())") }
        }
    }

    /// The evaluations of the last `days` days, newest first.
    public func report(_ id: UUID, in workspace: Workspace, days: Int) async throws -> (SLOView, [SLOEvaluationRecord]) {
        let view = try await get(id, in: workspace)
        let history = try await database.inWorkspace(workspace.id) {
            try await repository.evaluations(sloID: id, since: clock.now().addingTimeInterval(-Double(days) * 86_400), limit: 24 * 31, on: $0)
        }
        return (view, history)
    }

    /// Good/total for the SLO's indicator over [from, to).
    func counts(_ definition: SLODefinition, from: Date, to: Date, on connection: Transaction) async throws -> SLOCounts {
        switch definition.kind {
        case .latency(let indicator):
            return try await repository.latencyCounts(metric: indicator.metric, tags: indicator.tags, thresholdMs: indicator.thresholdMs,
                                                      from: from, to: to, on: connection)
        case .availability(.counters(let good, let total, let tags)):
            return SLOCounts(good: try await repository.counterSum(metric: good, tags: tags, from: from, to: to, on: connection),
                             total: try await repository.counterSum(metric: total, tags: tags, from: from, to: to, on: connection))
        case .availability(let indicator):
            guard case .statusTag(let metric, let tagKey, _, let tags) = indicator else { return .zero }
            let isCounter = try await repository.metricKind(name: metric, on: connection) == "counter"
            var counts = SLOCounts.zero
            for row in try await repository.statusCounts(metric: metric, tagKey: tagKey, tags: tags, from: from, to: to, on: connection) {
                let events = isCounter ? row.sum : row.points
                counts.merge(SLOCounts(good: indicator.isGood(statusValue: row.status) ? events : 0, total: events))
            }
            return counts
        }
    }

    /// Evaluates every SLO of the workspace now: stores the evaluation and triggers, escalates or
    /// resolves its burn-rate alert. Returns the evaluations made.
    @discardableResult
    public func evaluateAll(in workspace: Workspace) async throws -> [(UUID, SLOEvaluationRecord, BurnRateAlert.Plan)] {
        let now = clock.now()
        let zone = TimeZone(identifier: workspace.settings.timeZone) ?? TimeZone(identifier: "UTC")!
        var results: [(UUID, SLOEvaluationRecord, BurnRateAlert.Plan)] = []
        for view in try await list(in: workspace) {
            let definition = view.definition
            let window = definition.window.range(containing: now, zone: zone)
            let (total, lastHour, lastSix, open) = try await database.inWorkspace(workspace.id) { connection in
                (try await counts(definition, from: window.start, to: window.dataEnd, on: connection),
                 try await counts(definition, from: now.addingTimeInterval(-BurnRatePolicy.shortWindow), to: now, on: connection),
                 try await counts(definition, from: now.addingTimeInterval(-BurnRatePolicy.longWindow), to: now, on: connection),
                 try await openBurnAlert(view.id, on: connection))
            }
            let objective = definition.objectivePercent
            let burn1h = SLOMath.burnRate(lastHour, objectivePercent: objective)
            let burn6h = SLOMath.burnRate(lastSix, objectivePercent: objective)
            let decision = BurnRatePolicy.evaluate(burn1h: burn1h, burn6h: burn6h)
            let evaluation = SLOEvaluationRecord(
                evaluatedAt: now, windowStart: window.start, good: total.good, total: total.total, compliance: SLOMath.compliance(total),
                budgetRemaining: SLOMath.budgetRemaining(total, objectivePercent: objective), burn1h: burn1h, burn6h: burn6h,
                decision: decision.rawValue, status: SLOStatus.evaluate(total, objectivePercent: objective).rawValue)
            try await database.inWorkspace(workspace.id) {
                try await repository.insertEvaluation(evaluation, sloID: view.id, workspaceID: workspace.id, on: $0)
            }
            let plan = BurnRateAlert.plan(decision: decision, burn6h: burn6h, openAlertSeverity: open?.severity)
            switch plan {
            case .nothing: break
            case .trigger, .escalate:
                if let open, plan == .escalate {
                    _ = try await alerts.apply(.resolve, to: open.id, in: workspace, actor: "slo", note: "superseded by a faster burn")
                }
                if let alert = BurnRateAlert.make(sloID: view.id.uuidString.lowercased(), sloName: definition.name, decision: decision,
                                                  burn1h: burn1h, burn6h: burn6h, budgetRemaining: evaluation.budgetRemaining,
                                                  objectivePercent: objective, window: definition.window) {
                    _ = try await alerts.submit(AlertSubmission(title: alert.title, message: alert.message, severity: alert.severity,
                                                                source: alert.source, labels: alert.labels, dedupKey: alert.dedupKey, origin: .internal),
                                                in: workspace, actor: "slo")
                }
            case .resolve:
                if let open { _ = try await alerts.apply(.resolve, to: open.id, in: workspace, actor: "slo", note: "burn rate back to normal") }
            }
            results.append((view.id, evaluation, plan))
        }
        return results
    }

    func openBurnAlert(_ id: UUID, on connection: Transaction) async throws -> AlertRecord? {
        try await alerts.openAlert(dedupKey: BurnRateAlert.dedupKey(sloID: id.uuidString.lowercased()), source: BurnRateAlert.source, on: connection)
    }
}
