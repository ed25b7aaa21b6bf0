import Foundation
import VigilCore

/// A stored rule as the API shows it.
public struct AlertRuleView: Sendable {
    public var id: UUID
    public var definition: AlertRuleDefinition
    public var createdAt: Date
    public var updatedAt: Date
    public var lastEvaluation: AlertRuleLastEvaluation?
}

/// The latest evaluation of a rule.
public struct AlertRuleLastEvaluation: Sendable, Equatable {
    public var evaluatedAt: Date
    /// inactive, pending, firing, no_data or error.
    public var state: String
    public var durationMs: Double
    public var error: String?
}

/// One group of a rule in `…/alert-rules/{id}/status`.
public struct AlertRuleGroupStatus: Sendable, Equatable {
    public var labels: [String: String]
    public var value: Double?
    /// inactive, pending or firing.
    public var state: String
    public var since: Date?
    public var alertID: UUID?
}

public struct AlertRuleStatusView: Sendable {
    public var rule: AlertRuleView
    public var groups: [AlertRuleGroupStatus]
}

/// A group's value as stored in `alert_rules.last_values`.
struct StoredGroupValue: Codable {
    var labels: [String: String]
    var value: Double?

    /// The groups the status shows: the first 100 in key order (a rule with more groups still
    /// evaluates them all; the status says how many there were).
    static let shown = 100
}
