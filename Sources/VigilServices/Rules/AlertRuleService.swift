import Foundation
import VigilCore
import VigilRepositories

/// Alert rules: definitions (admin writes, viewers read), their status, the presets, and
/// backtests. Evaluation is `AlertRuleEvaluator`'s.
public struct AlertRuleService: Sendable {
    let database: Database
    let clock: WallClock
    let alerts: AlertService
    let limits: WorkspaceLimitPolicy
    let repository = AlertRuleRepository()
    let quota: ConfigObjectQuota

    public init(database: Database, clock: WallClock, alerts: AlertService, limits: WorkspaceLimitPolicy) {
        self.database = database
        self.clock = clock
        self.alerts = alerts
        self.limits = limits
        self.quota = ConfigObjectQuota(.alertRule, limits)
    }

    public func create(_ definition: AlertRuleDefinition, in workspace: Workspace) async throws -> AlertRuleView {
        if let problem = definition.validate() { throw ServiceError(problem) }
        let id = UUID(), now = clock.now()
        let json = try Self.encode(definition)
        try await database.inWorkspace(workspace.id) { connection in
            try await quota.reserve(workspaceID: workspace.id, on: connection)
            guard try await repository.insert(id: id, name: definition.name, specJSON: json, enabled: definition.enabled, at: now,
                                              workspaceID: workspace.id, on: connection) else {
                throw ServiceError.conflict("an alert rule named '\(definition.name)' already exists")
            }
        }
        return AlertRuleView(id: id, definition: definition, createdAt: now, updatedAt: now, lastEvaluation: nil)
    }

    /// Enables a preset (`AlertRulePresets`), with the caller's overrides.
    public func enablePreset(_ name: String, overrides: AlertRulePresetOverrides, in workspace: Workspace) async throws -> AlertRuleView {
        guard let preset = AlertRulePresets.named(name) else {
            throw ServiceError.notFound(name.count <= 100 ? "no preset '\(name)'" : "no such preset")
        }
        return try await create(overrides.applied(to: preset.definition), in: workspace)
    }

    public func list(in workspace: Workspace, limit: Int?, cursor: String?) async throws -> Page<AlertRuleView> {
        let page = try await paged(limit: limit, cursor: cursor, position: { NameCursor(after: $0.definition.name) }) { request in
            try await database.inWorkspace(workspace.id) { connection in
                try await repository.list(after: request.cursor?.after, limit: request.limit, on: connection).map { try Self.view($0.rule) }
            }
        }
        return page
    }

    public func get(_ id: UUID, in workspace: Workspace) async throws -> AlertRuleView {
        try await database.inWorkspace(workspace.id) { connection in
            guard let stored = try await repository.find(id: id, on: connection) else { throw Self.notFound(id) }
            return try Self.view(stored)
        }
    }

    /// Replaces the definition. Group states are kept: the next evaluation resolves groups the
    /// new definition no longer produces. A rule disabled here resolves its alerts at once.
    public func update(_ id: UUID, to definition: AlertRuleDefinition, in workspace: Workspace) async throws -> AlertRuleView {
        if let problem = definition.validate() { throw ServiceError(problem) }
        let now = clock.now(), json = try Self.encode(definition)
        let view = try await database.inWorkspace(workspace.id) { connection -> AlertRuleView in
            switch try await repository.update(id: id, name: definition.name, specJSON: json, enabled: definition.enabled, at: now, on: connection) {
            case .notFound: throw Self.notFound(id)
            case .nameTaken: throw ServiceError.conflict("an alert rule named '\(definition.name)' already exists")
            case .updated: break
            }
            return try Self.view(try await repository.find(id: id, on: connection)!)
        }
        if !definition.enabled { try await retire(id, in: workspace, note: "alert rule disabled") }
        return view
    }

    /// Deletes the rule and resolves the alerts it had raised.
    public func delete(_ id: UUID, in workspace: Workspace) async throws {
        try await retire(id, in: workspace, note: "alert rule deleted")
        try await database.inWorkspace(workspace.id) { connection in
            guard try await repository.delete(id: id, on: connection) else { throw Self.notFound(id) }
        }
    }

    /// Resolves the rule's firing alerts and forgets its groups.
    func retire(_ id: UUID, in workspace: Workspace, note: String) async throws {
        let groups = try await database.inWorkspace(workspace.id) { try await repository.groups(ruleID: id, on: $0) }
        for group in groups {
            if let alertID = group.alertID {
                _ = try await alerts.apply(.resolve, to: alertID, in: workspace, actor: AlertRuleEvaluator.actor, note: note)
            }
            try await database.inWorkspace(workspace.id) { try await repository.deleteGroup(ruleID: id, key: group.key, on: $0) }
        }
    }

    /// The rule with its last evaluation and every group: those of the last evaluation's values
    /// and those pending or firing.
    public func status(_ id: UUID, in workspace: Workspace) async throws -> AlertRuleStatusView {
        try await database.inWorkspace(workspace.id) { connection in
            guard let stored = try await repository.find(id: id, on: connection) else { throw Self.notFound(id) }
            let states = try await repository.groups(ruleID: id, on: connection)
            let values = try stored.lastValuesJSON.map { try StoredJSON.decode([StoredGroupValue].self, $0, row: "alert_rules \(id.lowercased).last_values") } ?? []
            var groups: [String: AlertRuleGroupStatus] = [:]
            for value in values {
                groups[AlertRuleGroupValue.key(of: value.labels)] = AlertRuleGroupStatus(labels: value.labels, value: value.value, state: "inactive",
                                                                                          since: nil, alertID: nil)
            }
            for state in states {
                // The last evaluation's value when it is among the groups shown; else the value
                // stored when the group last changed state.
                let value = groups[state.key].map(\.value) ?? state.lastValue
                groups[state.key] = AlertRuleGroupStatus(labels: state.labels, value: value, state: state.state.phase.rawValue,
                                                         since: state.state.since, alertID: state.alertID)
            }
            return AlertRuleStatusView(rule: try Self.view(stored), groups: groups.sorted { $0.key < $1.key }.map(\.value))
        }
    }

    static func view(_ stored: StoredAlertRule) throws -> AlertRuleView {
        let definition = try StoredJSON.decode(AlertRuleDefinition.self, stored.specJSON, row: "alert_rules \(stored.id.lowercased)")
        let last = stored.lastEvaluatedAt.map {
            AlertRuleLastEvaluation(evaluatedAt: $0, state: stored.lastState ?? "inactive", durationMs: stored.lastDurationMs ?? 0, error: stored.lastError)
        }
        return AlertRuleView(id: stored.id, definition: definition, createdAt: stored.createdAt, updatedAt: stored.updatedAt, lastEvaluation: last)
    }

    static func encode(_ definition: AlertRuleDefinition) throws -> String {
        String(decoding: try JSONEncoder.sortedKeys.encode(definition), as: UTF8.self)
    }

    static func notFound(_ id: UUID) -> ServiceError { .notFound("no alert rule \(id.lowercased)") }
}
