import Foundation
import PostgresClient
import VigilCore

/// An alert rule as stored, with its latest evaluation's summary.
public struct StoredAlertRule: Sendable {
    public var id: UUID
    public var specJSON: String
    public var createdAt: Date
    public var updatedAt: Date
    public var lastEvaluatedAt: Date?
    public var lastState: String?
    public var lastValuesJSON: String?
    public var lastDurationMs: Double?
    public var lastError: String?
}

/// The latest evaluation of one rule, as the worker records it.
public struct AlertRuleEvaluationSummary: Sendable {
    public var evaluatedAt: Date
    public var state: String
    public var valuesJSON: String
    public var durationMs: Double
    public var error: String?

    public init(evaluatedAt: Date, state: String, valuesJSON: String, durationMs: Double, error: String?) {
        self.evaluatedAt = evaluatedAt
        self.state = state
        self.valuesJSON = valuesJSON
        self.durationMs = durationMs
        self.error = error
    }
}

/// A pending or firing group of a rule.
public struct StoredAlertRuleGroup: Sendable, Equatable {
    public var ruleID: UUID
    public var key: String
    public var labels: [String: String]
    public var state: AlertRuleGroupState
    public var lastValue: Double?
    public var alertID: UUID?

    public init(ruleID: UUID, key: String, labels: [String: String], state: AlertRuleGroupState, lastValue: Double?, alertID: UUID?) {
        self.ruleID = ruleID
        self.key = key
        self.labels = labels
        self.state = state
        self.lastValue = lastValue
        self.alertID = alertID
    }
}

/// Alert rules and their group states, RLS-scoped to the transaction's workspace.
public struct AlertRuleRepository: Sendable {
    public init() {}

    static let columns = """
        id, spec, created_at, updated_at, last_evaluated_at, last_state, last_values, last_duration_ms, last_error
        """

    /// Refuses a second rule of the same name (`RepositoryError`-free: returns false).
    public func insert(id: UUID, name: String, specJSON: String, enabled: Bool, at now: Date, workspaceID: UUID,
                       on connection: Transaction) async throws -> Bool {
        try await connection.execute("""
            INSERT INTO alert_rules (workspace_id, id, name, spec, enabled, created_at, updated_at)
            VALUES (\(workspaceID), \(id), \(name), \(specJSON)::jsonb, \(enabled), \(now), \(now))
            ON CONFLICT (workspace_id, name) DO NOTHING
            """) == 1
    }

    public enum UpdateOutcome: Sendable { case updated, notFound, nameTaken }

    public func update(id: UUID, name: String, specJSON: String, enabled: Bool, at now: Date, on connection: Transaction) async throws -> UpdateOutcome {
        if try await connection.query("SELECT 1 AS taken FROM alert_rules WHERE name = \(name) AND id <> \(id)").first != nil {
            return .nameTaken
        }
        let changed = try await connection.execute("""
            UPDATE alert_rules SET name = \(name), spec = \(specJSON)::jsonb, enabled = \(enabled), updated_at = \(now) WHERE id = \(id)
            """)
        return changed == 1 ? .updated : .notFound
    }

    public func delete(id: UUID, on connection: Transaction) async throws -> Bool {
        try await connection.execute("DELETE FROM alert_rules WHERE id = \(id)") > 0
    }

    public func find(id: UUID, on connection: Transaction) async throws -> StoredAlertRule? {
        try await connection.query("SELECT \(unescaped: Self.columns) FROM alert_rules WHERE id = \(id)").first.map(Self.rule)
    }

    /// Rules in name order after `afterName` (paging).
    public func list(after afterName: String?, limit: Int, on connection: Transaction) async throws -> [(name: String, rule: StoredAlertRule)] {
        try await connection.query("""
            SELECT name, \(unescaped: Self.columns) FROM alert_rules
             WHERE (\(afterName)::text IS NULL OR name COLLATE "C" > \(afterName)) ORDER BY name COLLATE "C" LIMIT \(limit)
            """).map { (try $0.decode("name", as: String.self), try Self.rule($0)) }
    }

    public func enabled(on connection: Transaction) async throws -> [StoredAlertRule] {
        try await connection.query("SELECT \(unescaped: Self.columns) FROM alert_rules WHERE enabled ORDER BY id").map(Self.rule)
    }

    public func recordEvaluation(ruleID: UUID, _ summary: AlertRuleEvaluationSummary, on connection: Transaction) async throws {
        try await connection.execute("""
            UPDATE alert_rules SET last_evaluated_at = \(summary.evaluatedAt), last_state = \(summary.state),
                   last_values = \(summary.valuesJSON)::jsonb, last_duration_ms = \(summary.durationMs), last_error = \(summary.error)
             WHERE id = \(ruleID)
            """)
    }

    /// Pending and firing groups of one rule, or of every rule (nil).
    public func groups(ruleID: UUID?, on connection: Transaction) async throws -> [StoredAlertRuleGroup] {
        try await connection.query("""
            SELECT rule_id, group_key, labels, phase, since, cleared_at, last_value, alert_id FROM alert_rule_groups
             WHERE \(ruleID)::uuid IS NULL OR rule_id = \(ruleID) ORDER BY rule_id, group_key
            """).map { row in
            StoredAlertRuleGroup(
                ruleID: try row.decode("rule_id", as: UUID.self), key: try row.decode("group_key", as: String.self),
                labels: try row.decode("labels", as: PostgresJSON.self).decode([String: String].self),
                state: AlertRuleGroupState(phase: AlertRuleGroupState.Phase(rawValue: try row.decode("phase", as: String.self)) ?? .pending,
                                           since: try row.decode("since", as: Date.self), clearedAt: try row.decode("cleared_at", as: Date?.self)),
                lastValue: try row.decode("last_value", as: Double?.self), alertID: try row.decode("alert_id", as: UUID?.self))
        }
    }

    public func saveGroup(_ group: StoredAlertRuleGroup, workspaceID: UUID, on connection: Transaction) async throws {
        let labels = String(decoding: try JSONSerialization.data(withJSONObject: group.labels, options: [.sortedKeys]), as: UTF8.self)
        try await connection.execute("""
            INSERT INTO alert_rule_groups (workspace_id, rule_id, group_key, labels, phase, since, cleared_at, last_value, alert_id)
            VALUES (\(workspaceID), \(group.ruleID), \(group.key), \(labels)::jsonb, \(group.state.phase.rawValue), \(group.state.since),
                    \(group.state.clearedAt), \(group.lastValue), \(group.alertID))
            ON CONFLICT (workspace_id, rule_id, group_key) DO UPDATE
               SET labels = EXCLUDED.labels, phase = EXCLUDED.phase, since = EXCLUDED.since, cleared_at = EXCLUDED.cleared_at,
                   last_value = EXCLUDED.last_value, alert_id = EXCLUDED.alert_id
            """)
    }

    public func deleteGroup(ruleID: UUID, key: String, on connection: Transaction) async throws {
        try await connection.execute("DELETE FROM alert_rule_groups WHERE rule_id = \(ruleID) AND group_key = \(key)")
    }

    /// Every workspace with an enabled rule (platform: ids only, through a definer function).
    public func workspacesWithRules(on connection: Transaction) async throws -> [UUID] {
        try await connection.query("SELECT w AS id FROM vigil_workspaces_with_alert_rules() AS w").map { try $0.decode("id", as: UUID.self) }
    }

    static func rule(_ row: PostgresRow) throws -> StoredAlertRule {
        StoredAlertRule(id: try row.decode("id", as: UUID.self), specJSON: try row.decode("spec", as: PostgresJSON.self).raw,
                        createdAt: try row.decode("created_at", as: Date.self), updatedAt: try row.decode("updated_at", as: Date.self),
                        lastEvaluatedAt: try row.decode("last_evaluated_at", as: Date?.self), lastState: try row.decode("last_state", as: String?.self),
                        lastValuesJSON: try row.decode("last_values", as: PostgresJSON?.self)?.raw,
                        lastDurationMs: try row.decode("last_duration_ms", as: Double?.self), lastError: try row.decode("last_error", as: String?.self))
    }
}
