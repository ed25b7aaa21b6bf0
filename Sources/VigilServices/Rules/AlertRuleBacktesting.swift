import Foundation
import VigilCore
import VigilRepositories

extension AlertRuleService {
    /// Replays `definition` (not saved) over [from, to): when would it have fired and resolved?
    /// Bounded twice, like every query a tenant writes: the series × minutes read
    /// (`max_query_cost`) and the sketch merges done (`AlertRuleBacktest.maxCost`), both 422.
    public func backtest(_ definition: AlertRuleDefinition, from rawFrom: Date, to rawTo: Date,
                         in workspace: Workspace) async throws -> AlertRuleBacktestResult {
        if let problem = definition.validate() { throw ServiceError(problem) }
        let minute = RollupResolution.minute
        let from = minute.bucketStart(rawFrom)
        let to = min(minute.bucketStart(rawTo), minute.bucketStart(clock.now()).addingTimeInterval(60))
        guard from < to else { throw ServiceError.invalid(field: "to", message: "to must be at least a minute after from, and from in the past") }
        let intervalMinutes = Int(to.timeIntervalSince(from) / 60)
        guard intervalMinutes <= AlertRuleBacktest.maxIntervalMinutes else {
            throw ServiceError.invalid(field: "to", message: "a backtest covers at most \(AlertRuleBacktest.maxIntervalMinutes / 1440) days")
        }
        // The first evaluation's window reaches back window_minutes before `from`.
        let range = from.addingTimeInterval(-Double(definition.windowMinutes * 60))..<to
        let readMinutes = intervalMinutes + definition.windowMinutes
        let selection = AlertRuleSelection()
        let data = try await database.inWorkspace(workspace.id) { connection in
            let numerator = try await selection.select(metric: definition.metric, matchers: definition.matchers,
                                                       groupBy: definition.groupBy, on: connection)
            var denominator: AlertRuleSelection.Selected?
            if let ratio = definition.denominator {
                denominator = try await selection.select(metric: definition.denominatorMetric!, matchers: ratio.matchers,
                                                         groupBy: definition.groupBy, on: connection)
            }
            let workspaceLimits = try await limits.limits(for: workspace.id, on: connection)
            let series = (numerator?.groupOf.count ?? 0) + (denominator?.groupOf.count ?? 0)
            if case .refused(let message) = workspaceLimits.admitsQuery(windowMinutes: readMinutes, groups: series) {
                throw ServiceError.queryTooLarge("\(message) (this backtest: \(readMinutes) minutes × \(series) series)")
            }
            let groups = max(AlertRuleSelection.groupCount(numerator), AlertRuleSelection.groupCount(denominator))
            let cost = AlertRuleBacktest.cost(intervalMinutes: intervalMinutes, windowMinutes: definition.windowMinutes + 1, groups: groups)
            guard cost <= AlertRuleBacktest.maxCost else {
                throw ServiceError.queryTooLarge("backtest too large: minutes × window × groups may be at most \(AlertRuleBacktest.maxCost) "
                                                 + "(this one: \(cost)); shorten the interval or the window, or group less")
            }
            let numeratorMinutes = try await numerator.asyncMap { try await selection.perMinute($0, range: range, on: connection) } ?? [:]
            // A ratio whose denominator metric was never ingested has no data at all.
            let denominatorMinutes = definition.denominator == nil ? nil
                : try await denominator.asyncMap { try await selection.perMinute($0, range: range, on: connection) } ?? [:]
            return (numeratorMinutes, numerator?.kind ?? .gauge, denominatorMinutes, denominator?.kind)
        }
        return AlertRuleBacktest.run(rule: definition, from: from, to: to, numerator: data.0, numeratorKind: data.1,
                                     denominator: data.2, denominatorKind: data.3)
    }
}
