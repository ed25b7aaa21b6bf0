import Foundation
import VigilCore
import VigilRepositories

/// What the worker's alert jobs do, other than deliveries: escalation steps, acknowledgement
/// timeouts and storm summaries. Each checks, in its transaction, that the alert is still in the
/// state the job was scheduled for (its escalation generation), so a job made stale by an
/// acknowledgement or resolution does nothing.
public struct AlertScheduledWork: Sendable {
    let database: Database
    let clock: WallClock
    let alerts = AlertRepository()
    let channels = ChannelRepository()
    let queue = JobQueue()
    let workspaces = WorkspaceRepository()

    public init(database: Database, clock: WallClock) {
        self.database = database
        self.clock = clock
    }

    public enum Result: String, Sendable { case done, stale }

    /// Notifies the step's channels, records it on the alert and schedules the following step.
    public func escalate(_ args: AlertJobs.EscalateArgs, workspaceID: UUID) async throws -> Result {
        let now = clock.now()
        let configuration = try await database.inWorkspace(workspaceID) { try await AlertingSnapshot.load(at: now, on: $0) }
        return try await inWorkspace(workspaceID) { workspace, connection in
            let dispatch = AlertDispatch(workspace: workspace, now: now, configuration: configuration)
            guard var alert = try await alerts.find(id: args.alertID, on: connection), alert.state == .triggered,
                  alert.escalationGeneration == args.generation, let policy = alert.escalationPolicy,
                  alert.escalationStep.map({ $0 < args.step }) ?? true else { return .stale }
            alert.escalationStep = args.step
            guard let updated = try await alerts.update(alert, on: connection) else {
                throw ServiceError.conflict("alert changed while escalating; the job retries")
            }
            let plan = EscalationPlan(policy: policy)
            let channelIDs = plan.channels(for: args.step)
            try await dispatch.appendEvent("escalation_step", alert: updated, actor: "system",
                                           details: ["loop": "\(args.loop)", "level": "\(args.level)",
                                                     "channels": channelIDs.joined(separator: ",")], on: connection)
            // The first step is the alert's first notification; later ones are escalations.
            let event: NotificationEvent = args.step == EscalationStep(loop: 0, level: 0) ? .triggered : .escalated
            try await dispatch.notifyOpening(event, alert: updated, channelIDs: channelIDs, storm: .notifyIndividually,
                                             discriminator: "g\(args.generation).l\(args.loop).\(args.level)", on: connection)
            try await dispatch.scheduleEscalation(for: updated, after: args.step, from: dispatch.now, on: connection)
            return .done
        }
    }

    /// An acknowledgement that outlived the policy's timeout: the alert triggers again and
    /// escalation restarts from the first level.
    public func acknowledgementTimedOut(_ args: AlertJobs.AckTimeoutArgs, workspaceID: UUID) async throws -> Result {
        let now = clock.now()
        let configuration = try await database.inWorkspace(workspaceID) { try await AlertingSnapshot.load(at: now, on: $0) }
        return try await inWorkspace(workspaceID) { workspace, connection in
            let dispatch = AlertDispatch(workspace: workspace, now: now, configuration: configuration)
            guard var alert = try await alerts.find(id: args.alertID, on: connection), alert.state == .acknowledged,
                  alert.escalationGeneration == args.generation else { return .stale }
            alert.state = .triggered
            alert.acknowledgedAt = nil
            alert.acknowledgedBy = nil
            alert.escalationStep = nil
            alert.escalationGeneration += 1
            guard let updated = try await alerts.update(alert, on: connection) else {
                throw ServiceError.conflict("alert changed during the acknowledgement timeout; the job retries")
            }
            try await dispatch.appendEvent("ack_timeout", alert: updated, actor: "system", from: .acknowledged, to: .triggered, on: connection)
            try await dispatch.scheduleEscalation(for: updated, after: nil, from: dispatch.now, on: connection)
            return .done
        }
    }

    /// One summary per storm minute to every enabled channel: the count held back and the top groups.
    public func sendStormSummary(_ args: AlertJobs.StormSummaryArgs, workspaceID: UUID) async throws -> Result {
        try await inWorkspace(workspaceID) { _, connection in
            guard let groups = try await alerts.suppressedGroups(minute: args.minute, on: connection), !groups.isEmpty else { return .stale }
            for row in try await channels.all(on: connection) {
                // A corrupt channel is logged and skipped: the others still get the summary.
                guard let spec = StoredJSON.decodeOrSkip(NotificationChannelSpec.self, row.specJSON, row: "notification_channels \(row.id.lowercased)"),
                      spec.enabled else { continue }
                let key = "storm:\(args.minute):\(row.id.lowercased)"
                let notify = AlertJobs.NotifyArgs(alertID: nil, channelID: row.id, event: "storm_summary", idempotencyKey: key,
                                                  stormMinute: args.minute)
                try await queue.enqueue(notify, in: workspaceID, on: connection, uniqueKey: "notify:\(key)")
            }
            // Counters of earlier minutes are no longer needed.
            try await alerts.pruneStormMinutes(before: args.minute - 60, on: connection)
            return .done
        }
    }

    private func inWorkspace<T: Sendable>(_ workspaceID: UUID, _ body: (Workspace, Transaction) async throws -> T) async throws -> T {
        try await database.inWorkspace(workspaceID) { connection in
            guard let workspace = try await workspaces.find(id: workspaceID, on: connection) else {
                throw ServiceError.notFound("workspace \(workspaceID.lowercased) no longer exists")
            }
            return try await body(workspace, connection)
        }
    }
}
