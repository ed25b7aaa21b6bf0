import Foundation
import VigilCore
import VigilRepositories

/// One period of a KPI series.
public struct KPISeriesPoint: Sendable {
    public var period: LocalPeriod
    public var value: Double?
    public var count: Int
}

/// One value of the `group_by` dimension over the whole range (nil: events without it).
public struct KPIBreakdownRow: Sendable {
    public var dimensionValue: String?
    public var value: Double?
    public var count: Int
}

/// A KPI's series over periods, with a breakdown by one dimension.
public struct KPISeries: Sendable {
    public var definition: KPIDefinition
    public var points: [KPISeriesPoint]
    public var breakdown: [KPIBreakdownRow]
    public var groupBy: String?
}

/// KPIs: definitions, events, and reads that merge rollups for past periods (raw events only
/// for the open period, or for a past one whose rollup a late event has re-opened).
public struct KPIService: Sendable {
    let database: Database
    let clock: WallClock
    let repository = KPIRepository()
    /// The per-workspace cap on KPI definitions (`WorkspaceLimits`).
    let quota: ConfigObjectQuota
    /// KPI events per minute (`WorkspaceLimits.kpiEventsPerMinute`).
    let rateLimiter: WorkspaceRateLimiter

    public init(database: Database, clock: WallClock, limits: WorkspaceLimitPolicy, rateLimiter: WorkspaceRateLimiter) {
        self.database = database
        self.clock = clock
        self.quota = ConfigObjectQuota(.kpi, limits)
        self.rateLimiter = rateLimiter
    }

    public static let maxEventsPerRequest = 5_000

    public func define(_ definition: KPIDefinition, in workspace: Workspace) async throws -> (KPIDefinition, created: Bool) {
        if let problem = definition.validate() { throw ServiceError(problem) }
        let json = String(decoding: try JSONEncoder.sortedKeys.encode(definition), as: UTF8.self)
        let created = try await database.inWorkspace(workspace.id) { connection in
            // An upsert: redefining an existing key is always allowed, so count first and
            // refuse (rolling the insert back) only when it turned out to be a new key.
            let existing = try await quota.existing(workspaceID: workspace.id, on: connection)
            let inserted = try await repository.upsertDefinition(key: definition.key, specJSON: json, workspaceID: workspace.id, on: connection)
            if inserted, let refusal = try await quota.refuseIfFull(existing, workspaceID: workspace.id, on: connection) { throw refusal }
            return inserted
        }
        return (definition, created)
    }

    public func definitions(in workspace: Workspace) async throws -> [KPIDefinition] {
        try await database.inWorkspace(workspace.id) { try await repository.definitions(on: $0) }
            .map { try StoredJSON.decode(KPIDefinition.self, $0.specJSON, row: "kpi_definitions '\($0.key.prefix(64))'") }
    }

    func definition(_ key: String, in workspace: Workspace, on connection: Transaction) async throws -> KPIDefinition {
        guard let json = try await repository.definition(key: key, on: connection) else { throw ServiceError.notFound("no KPI '\(key.prefix(64))'") }
        return try StoredJSON.decode(KPIDefinition.self, json, row: "kpi_definitions '\(key.prefix(64))'")
    }

    /// Records events; their day and month are marked for re-rollup in the same transaction.
    /// - Parameter idempotency: stores the answer under the request's `Idempotency-Key` in the
    ///   same transaction as the events.
    public func record(_ events: [KPIEvent], key: String, in workspace: Workspace, idempotency: IdempotencyHook<Int>? = nil) async throws -> Int {
        guard !events.isEmpty, events.count <= Self.maxEventsPerRequest else {
            throw ServiceError.invalid(field: "events", message: "send 1-\(Self.maxEventsPerRequest) events")
        }
        // Charged before the transaction, whole batch or nothing: a refused batch stores nothing.
        try await rateLimiter.spend(events.count, on: .kpiEvents, workspaceID: workspace.id)
        // Dimensions are redacted like metric tags (an email as a dimension value becomes [EMAIL]).
        let events = try await Self.redact(events, for: workspace, database: database)
        let zone = TimeZone(identifier: workspace.settings.timeZone) ?? TimeZone(identifier: "UTC")!
        let now = clock.now()
        return try await database.inWorkspace(workspace.id) { connection in
            let definition = try await definition(key, in: workspace, on: connection)
            for (index, event) in events.enumerated() {
                if let problem = event.validate(against: definition, now: now) {
                    throw ServiceError.invalid(field: "events[\(index)].\(problem.field ?? "event")", message: problem.message)
                }
            }
            try await repository.insertEvents(events, workspaceID: workspace.id, on: connection)
            try await repository.markDirty(key: key, periods: RollupInvalidation.periods(touchedBy: events.map(\.timestamp), zone: zone),
                                           workspaceID: workspace.id, on: connection)
            try await idempotency?.record(events.count, on: connection)  // the answer commits with the events
            return events.count
        }
    }

    static func redact(_ events: [KPIEvent], for workspace: Workspace, database: Database) async throws -> [KPIEvent] {
        guard events.contains(where: { !$0.dimensions.isEmpty }),
              let redactor = try await WorkspaceRedaction.redactor(for: workspace, database: database).redactor else { return events }
        return events.map { event in
            var copy = event
            copy.dimensions = redactor.redactTags(event.dimensions)
            return copy
        }
    }

    /// Recomputes every closed dirty period of `kind` in the workspace from its events.
    @discardableResult
    public func rollup(_ kind: KPIPeriod, in workspace: Workspace) async throws -> Int {
        let now = clock.now()
        return try await database.inWorkspace(workspace.id) { connection in
            let dirty = try await repository.closedDirty(kind: kind, now: now, on: connection)
            for item in dirty {
                let definition = try await definition(item.key, in: workspace, on: connection)
                let events = try await repository.events(key: item.key, from: item.start, to: item.end, on: connection)
                try await repository.replaceRollup(key: item.key, kind: kind, start: item.start, end: item.end, timeZone: workspace.settings.timeZone,
                                                   dirtyVersion: item.version,
                                                   rows: Self.group(events, aggregation: definition.aggregation), on: connection)
            }
            return dirty.count
        }
    }

    static func group(_ events: [StoredKPIEvent], aggregation: KPIAggregation) -> [(dimensions: [String: String], dimensionID: String, partial: KPIPartial)] {
        var groups: [String: (dimensions: [String: String], partial: KPIPartial)] = [:]
        for stored in events {
            let event = KPIEvent(kpiKey: "", stream: stored.stream, value: stored.value, timestamp: stored.timestamp, dimensions: stored.dimensions)
            groups[stored.dimensionID, default: (stored.dimensions, .empty)].partial.add(event, aggregation: aggregation)
        }
        return groups.sorted { $0.key < $1.key }.map { ($0.value.dimensions, $0.key, $0.value.partial) }
    }

    /// Per dimension set, the state of [period.start, period.end): rollups when the period is
    /// closed and clean, raw events otherwise.
    func rows(_ definition: KPIDefinition, period: LocalPeriod, now: Date,
              on connection: Transaction) async throws -> [(dimensions: [String: String], partial: KPIPartial)] {
        let storedKind: KPIPeriod = period.kind == .month ? .month : .day
        let closed = period.end <= now
        if closed, !(try await repository.isDirty(key: definition.key, kind: storedKind, from: period.start, to: period.end, on: connection)) {
            return try await repository.rollups(key: definition.key, kind: storedKind, from: period.start, to: period.end, on: connection)
                .map { ($0.dimensions, $0.partial) }
        }
        let events = try await repository.events(key: definition.key, from: period.start, to: period.end, on: connection)
        return Self.group(events, aggregation: definition.aggregation).map { ($0.dimensions, $0.partial) }
    }

    public func overview(in workspace: Workspace, period kind: KPIPeriod = .day) async throws -> [(KPIDefinition, KPIOverview)] {
        let calendar = PeriodCalendar(identifier: workspace.settings.timeZone) ?? PeriodCalendar(timeZone: TimeZone(identifier: "UTC")!)
        let now = clock.now()
        return try await database.inWorkspace(workspace.id) { connection in
            var result: [(KPIDefinition, KPIOverview)] = []
            for (key, json) in try await repository.definitions(on: connection) {
                let definition = try StoredJSON.decode(KPIDefinition.self, json, row: "kpi_definitions '\(key.prefix(64))'")
                let current = calendar.period(kind, containing: now)
                let now1 = KPIPartial.merged(try await rows(definition, period: current, now: now, on: connection).map(\.partial))
                let before = KPIPartial.merged(try await rows(definition, period: calendar.previous(current), now: now, on: connection).map(\.partial))
                var overview = KPIOverview.make(definition: definition, current: now1, previous: before)
                // Targets are in display units (a `%` ratio's target is a percentage).
                overview.status = KPIStatus.evaluate(value: overview.value.map { $0 * definition.displayScale }, target: definition.target,
                                                     direction: definition.direction)
                result.append((definition, overview))
            }
            return result
        }
    }

    public func series(_ key: String, in workspace: Workspace, period kind: KPIPeriod, from: Date?, to: Date?, groupBy: String?) async throws -> KPISeries {
        let calendar = PeriodCalendar(identifier: workspace.settings.timeZone) ?? PeriodCalendar(timeZone: TimeZone(identifier: "UTC")!)
        let now = clock.now()
        let end = to ?? now.addingTimeInterval(1)
        let start = from ?? end.addingTimeInterval(-Double(kind == .month ? 365 : kind == .week ? 84 : 30) * 86_400)
        guard start < end else { throw ServiceError.invalid(field: "from", message: "from must be before to") }
        let periods = calendar.periods(kind, from: start, to: end, limit: 400)
        return try await database.inWorkspace(workspace.id) { connection in
            let definition = try await definition(key, in: workspace, on: connection)
            var points: [KPISeriesPoint] = []
            var all: [(dimensions: [String: String], partial: KPIPartial)] = []
            for period in periods {
                let rows = try await rows(definition, period: period, now: now, on: connection)
                all += rows
                let merged = KPIPartial.merged(rows.map(\.partial))
                // An empty period is 0 for sum and count, no value for the others (KPIPartial.value).
                points.append(KPISeriesPoint(period: period, value: merged.value(for: definition.aggregation), count: merged.count))
            }
            var breakdown: [KPIBreakdownRow] = []
            if let groupBy {
                breakdown = KPIBreakdown.group(all.map { ($0.dimensions, $0.partial) }, by: groupBy)
                    .map { KPIBreakdownRow(dimensionValue: $0.value, value: $0.partial.value(for: definition.aggregation), count: $0.partial.count) }
            }
            return KPISeries(definition: definition, points: points, breakdown: breakdown, groupBy: groupBy)
        }
    }
}
