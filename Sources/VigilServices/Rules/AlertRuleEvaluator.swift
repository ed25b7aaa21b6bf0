import Foundation
import Logging
import VigilCore
import VigilRepositories

/// Evaluates a workspace's enabled rules now, from the rollups: per rule and group the
/// statistic over the window, the next state (`AlertRuleEvaluation`), alerts raised or resolved
/// through the alert pipeline, and the state and summary stored. A rule that fails (a query too
/// large, a stored document unreadable) records its error and the others go on.
public struct AlertRuleEvaluator: Sendable {
    static let actor = "alert-rule"
    /// Groups one rule may produce; past it the rule records an error instead of evaluating.
    public static let maxGroups = 1_000

    let database: Database
    let clock: WallClock
    let alerts: AlertService
    let limits: WorkspaceLimitPolicy
    let logger: Logger
    let repository = AlertRuleRepository()

    public init(database: Database, clock: WallClock, alerts: AlertService, limits: WorkspaceLimitPolicy, logger: Logger) {
        self.database = database
        self.clock = clock
        self.alerts = alerts
        self.limits = limits
        self.logger = logger
    }

    /// The platform tick: one `alert_rules.evaluate` job per workspace with enabled rules (a
    /// workspace whose previous evaluation is still pending gets none). Returns how many.
    @discardableResult
    public func dispatch() async throws -> Int {
        try await WorkspaceFanOut(database: database).enqueue(AlertRuleJobs.EvaluateArgs(), uniqueKey: AlertRuleJobs.EvaluateArgs.uniqueKey,
                                                              inWorkspacesListedBy: repository.workspacesWithRules)
    }

    public struct Report: Sendable, Equatable {
        public var rules = 0
        public var fired = 0
        public var resolved = 0
        public var failed = 0

        public init(rules: Int = 0, fired: Int = 0, resolved: Int = 0, failed: Int = 0) {
            self.rules = rules
            self.fired = fired
            self.resolved = resolved
            self.failed = failed
        }
    }

    public func evaluate(in workspace: Workspace) async throws -> Report {
        let now = clock.now()
        let (rules, states) = try await database.inWorkspace(workspace.id) {
            (try await repository.enabled(on: $0), try await repository.groups(ruleID: nil, on: $0))
        }
        let statesByRule = Dictionary(grouping: states, by: \.ruleID)
        let selection = AlertRuleSelection()
        var report = Report()
        // Summaries of rules whose groups did not change are written together, a batch per
        // transaction: one round trip per rule and minute would dominate a large workspace's tick.
        var summaries: [(UUID, AlertRuleEvaluationSummary)] = []
        for stored in rules {
            report.rules += 1
            let started = ContinuousClock.now
            do {
                let definition = try StoredJSON.decode(AlertRuleDefinition.self, stored.specJSON, row: "alert_rules \(stored.id.lowercased)")
                let outcome = try await evaluate(stored.id, definition, states: statesByRule[stored.id] ?? [], selection: selection,
                                                 now: now, workspace: workspace, started: started)
                report.fired += outcome.fired
                report.resolved += outcome.resolved
                if let summary = outcome.unwritten { summaries.append((stored.id, summary)) }
            } catch {
                report.failed += 1
                logger.warning("alert rule evaluation failed", metadata: ["rule_id": "\(stored.id.lowercased)", "error": "\(error)"])
                summaries.append((stored.id, AlertRuleEvaluationSummary(evaluatedAt: now, state: "error", valuesJSON: "[]",
                                                                        durationMs: Self.milliseconds(since: started), error: ServiceError.recordedReason(error))))
            }
            if summaries.count >= Self.summaryBatch { try await write(summaries, in: workspace); summaries.removeAll() }
        }
        try await write(summaries, in: workspace)
        return report
    }

    static let summaryBatch = 200

    private func write(_ summaries: [(UUID, AlertRuleEvaluationSummary)], in workspace: Workspace) async throws {
        guard !summaries.isEmpty else { return }
        try await database.inWorkspace(workspace.id) { connection in
            for (ruleID, summary) in summaries { try await repository.recordEvaluation(ruleID: ruleID, summary, on: connection) }
        }
    }

    private func evaluate(_ ruleID: UUID, _ rule: AlertRuleDefinition, states stored: [StoredAlertRuleGroup], selection: AlertRuleSelection,
                          now: Date, workspace: Workspace, started: ContinuousClock.Instant)
        async throws -> (fired: Int, resolved: Int, unwritten: AlertRuleEvaluationSummary?) {
        let values = try await values(of: rule, selection: selection, now: now, workspace: workspace)
        let previous = Dictionary(stored.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let (outcomes, ruleState) = AlertRuleEvaluation.step(rule: rule, values: values, states: previous.mapValues(\.state), now: now)
        var fired = 0, resolved = 0
        var saved: [StoredAlertRuleGroup] = []
        var dropped: [String] = []
        let id = ruleID.lowercased
        for outcome in outcomes {
            var alertID = previous[outcome.key]?.alertID
            switch outcome.action {
            case .fire:
                let alert = AlertRuleEvaluation.alert(rule: rule, ruleID: id, labels: outcome.labels, value: outcome.value)
                let submission = AlertSubmission(title: alert.title, message: alert.message, severity: rule.severity, source: Self.actor,
                                                 labels: alert.labels, annotations: alert.annotations,
                                                 dedupKey: AlertRuleEvaluation.dedupKey(ruleID: id, groupKey: outcome.key), origin: .internal)
                alertID = try await alerts.submit(submission, in: workspace, actor: Self.actor).0.id
                fired += 1
            case .resolve:
                if let alertID { try await resolve(alertID, in: workspace) }
                resolved += 1
            case .none:
                break
            }
            if let state = outcome.state {
                let group = StoredAlertRuleGroup(ruleID: ruleID, key: outcome.key, labels: outcome.labels, state: state,
                                                 lastValue: outcome.value, alertID: state.phase == .firing ? alertID : nil)
                // A group whose state did not move is not written again: its value is in the
                // rule's last_values, and a firing rule over many groups would otherwise rewrite
                // every group every minute.
                if previous[outcome.key].map({ $0.state != group.state || $0.alertID != group.alertID || $0.labels != group.labels }) ?? true {
                    saved.append(group)
                }
            } else if previous[outcome.key] != nil {
                dropped.append(outcome.key)
            }
        }
        let shown = values.filter { $0.value != nil }.sorted { $0.key < $1.key }.prefix(StoredGroupValue.shown)
        let valuesJSON = String(decoding: try JSONEncoder.sortedKeys.encode(shown.map { StoredGroupValue(labels: $0.labels, value: $0.value) }),
                                as: UTF8.self)
        let summary = AlertRuleEvaluationSummary(evaluatedAt: now, state: ruleState.rawValue, valuesJSON: valuesJSON,
                                                 durationMs: Self.milliseconds(since: started), error: nil)
        // Group changes are written at once, with their summary, since alerts were raised or
        // resolved for them; a rule whose groups stood still leaves its summary to the batch.
        guard !saved.isEmpty || !dropped.isEmpty else { return (fired, resolved, summary) }
        try await database.inWorkspace(workspace.id) { connection in
            for group in saved { try await repository.saveGroup(group, workspaceID: workspace.id, on: connection) }
            for key in dropped { try await repository.deleteGroup(ruleID: ruleID, key: key, on: connection) }
            try await repository.recordEvaluation(ruleID: ruleID, summary, on: connection)
        }
        return (fired, resolved, nil)
    }

    /// The rule's value per group over its window (the last `window_minutes` whole minutes and
    /// the current one, as `…/stats` reads them).
    private func values(of rule: AlertRuleDefinition, selection: AlertRuleSelection, now: Date,
                        workspace: Workspace) async throws -> [AlertRuleGroupValue] {
        let window = MetricWindow(minutes: rule.windowMinutes, now: now)
        let plan = RollupPlan.covering(start: window.start, end: window.end)
        return try await database.inWorkspace(workspace.id) { connection in
            let numerator = try await selection.select(metric: rule.metric, matchers: rule.matchers, groupBy: rule.groupBy, on: connection)
            var denominator: AlertRuleSelection.Selected?
            if let ratio = rule.denominator {
                denominator = try await selection.select(metric: rule.denominatorMetric!, matchers: ratio.matchers, groupBy: rule.groupBy, on: connection)
            }
            let groups = max(AlertRuleSelection.groupCount(numerator), AlertRuleSelection.groupCount(denominator))
            guard groups <= Self.maxGroups else {
                throw ServiceError.queryTooLarge("the rule produces \(groups) groups; at most \(Self.maxGroups) (group by fewer tags)")
            }
            let series = (numerator?.groupOf.count ?? 0) + (denominator?.groupOf.count ?? 0)
            if case .refused(let message) = try await limits.limits(for: workspace.id, on: connection)
                .admitsQuery(windowMinutes: rule.windowMinutes + 1, groups: series) {
                throw ServiceError.queryTooLarge("\(message) (this rule: \(rule.windowMinutes + 1) minutes × \(series) series)")
            }
            let numeratorGroups = try await numerator.asyncMap { try await selection.merged($0, plan: plan, window: window.start..<window.end, on: connection) } ?? [:]
            let denominatorGroups = rule.denominator == nil ? nil
                : try await denominator.asyncMap { try await selection.merged($0, plan: plan, window: window.start..<window.end, on: connection) } ?? [:]
            return AlertRuleEvaluation.values(rule: rule, windowSeconds: Double(rule.windowMinutes * 60), numerator: numeratorGroups,
                                              numeratorKind: numerator?.kind ?? .gauge, denominator: denominatorGroups,
                                              denominatorKind: denominator?.kind)
        }
    }

    /// Resolves a rule's alert; one already resolved, or removed by retention, needs nothing.
    private func resolve(_ alertID: UUID, in workspace: Workspace) async throws {
        do {
            _ = try await alerts.apply(.resolve, to: alertID, in: workspace, actor: Self.actor, note: "alert rule condition cleared")
        } catch let error as ServiceError {
            if case .notFound = error { return }
            throw error
        }
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
    }


}
