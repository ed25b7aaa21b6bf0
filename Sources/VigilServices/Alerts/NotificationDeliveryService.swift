import Foundation
import VigilCore
import VigilDelivery
import VigilRepositories

/// Runs one `alert.notify` job: renders the channel's payload, sends it, and records the attempt
/// in the ledger. Sending happens outside any transaction, so a slow receiver holds no
/// connection; the per-channel timeout bounds it.
///
/// Exactly-once, as far as the sender can make it: a delivery whose idempotency key already has
/// a `sent` row is not sent again (a retry after a crash that happened after the ledger write).
/// A crash between the receiver's answer and the ledger write leads to a resend carrying the same
/// `Idempotency-Key` header, so receivers can drop the duplicate (PagerDuty does, by dedup_key).
public struct NotificationDeliveryService: Sendable {
    let database: Database
    let clock: WallClock
    let http: HTTPDeliverer
    let smtp: SMTPDeliverer
    let alerts = AlertRepository()
    let ledger = NotificationLedgerRepository()
    let channels = ChannelRepository()
    let workspaces = WorkspaceRepository()
    let silences = AlertingConfigRepository(.silences)
    let secretStore: ChannelSecretStore

    public init(database: Database, clock: WallClock, http: HTTPDeliverer = HTTPDeliverer(), smtp: SMTPDeliverer = SMTPDeliverer(),
                secretKeyring: SecretKeyring? = nil) {
        self.database = database
        self.clock = clock
        self.http = http
        self.smtp = smtp
        self.secretStore = ChannelSecretStore(keyring: secretKeyring)
    }

    public enum Result: Equatable, Sendable {
        case sent, alreadySent, skipped(String), suppressed(String)
        /// The receiver failed; the job should retry (unless this was its last attempt).
        case failed(String)

        /// The outcome as a metric label (bounded: the reasons stay out).
        public var outcomeLabel: String {
            switch self {
            case .sent: "sent"
            case .alreadySent: "already_sent"
            case .skipped: "skipped"
            case .suppressed: "suppressed"
            case .failed: "failed"
            }
        }
    }

    struct Prepared {
        var workspace: Workspace
        var channelID: UUID
        var spec: NotificationChannelSpec
        var secrets: ChannelSecrets
        var alert: AlertRecord?
        var stormGroups: [String]?
    }

    public func deliver(_ args: AlertJobs.NotifyArgs, workspaceID: UUID, attempt: Int) async throws -> Result {
        try await deliverReportingKind(args, workspaceID: workspaceID, attempt: attempt).result
    }

    /// `deliver`, with the channel's kind when the channel was read (for the worker's counters).
    public func deliverReportingKind(_ args: AlertJobs.NotifyArgs, workspaceID: UUID, attempt: Int) async throws -> (result: Result, channelKind: String?) {
        let prepared: Prepared
        switch try await prepare(args, workspaceID: workspaceID) {
        case .success(let ready): prepared = ready
        case .failure(let early):
            if case .skipped(let why) = early.result { try await record(args, workspaceID: workspaceID, kind: nil, attempt: attempt, status: .skipped, error: why) }
            if case .suppressed(let why) = early.result { try await record(args, workspaceID: workspaceID, kind: nil, attempt: attempt, status: .suppressed, error: why) }
            return (early.result, nil)
        }
        let kind = prepared.spec.kind.rawValue
        guard let request = try render(args, prepared) else {
            try await record(args, workspaceID: workspaceID, kind: kind, attempt: attempt, status: .skipped,
                             error: "\(kind) channels have no storm-summary payload")
            return (.skipped("no payload for this channel kind"), kind)
        }
        let outcome: DeliveryOutcome
        switch request {
        case .http(let post): outcome = await http.post(post)
        case .email(let message, let settings): outcome = await smtp.send(message, via: settings)
        }
        let digest = SHA256Hex.hex(of: request.bodyBytes)
        // Tenants read the ledger and choose the destination: only the generic class and the
        // status code go in, never response bytes or connect details (see DeliveryFailure).
        let error = outcome.ledgerError
        try await record(args, workspaceID: workspaceID, kind: prepared.spec.kind.rawValue, attempt: attempt,
                         status: outcome.succeeded ? .sent : .failed, statusCode: outcome.statusCode, error: error,
                         duration: outcome.durationMilliseconds, digest: digest)
        return (outcome.succeeded ? .sent : .failed(error ?? "failed"), kind)
    }

    struct Early: Error { var result: Result }

    private func prepare(_ args: AlertJobs.NotifyArgs, workspaceID: UUID) async throws -> Swift.Result<Prepared, Early> {
        try await database.inWorkspace(workspaceID) { connection in
            if try await ledger.wasSent(idempotencyKey: args.idempotencyKey, on: connection) { return .failure(Early(result: .alreadySent)) }
            guard let workspace = try await workspaces.find(id: workspaceID, on: connection) else {
                return .failure(Early(result: .skipped("workspace is gone")))
            }
            guard let (row, stored) = try await channels.withSecrets(id: args.channelID, on: connection) else {
                return .failure(Early(result: .skipped("channel was deleted")))
            }
            // This job is for one channel: a corrupt one fails it with the reason (never sent
            // without its secrets, never reported as deleted).
            let spec = try StoredJSON.decode(NotificationChannelSpec.self, row.specJSON, row: "notification_channels \(row.id.lowercased)")
            guard spec.enabled else { return .failure(Early(result: .skipped("channel is disabled"))) }
            let secrets = try secretStore.open(stored, workspaceID: workspaceID, channelID: row.id)
            if let minute = args.stormMinute {
                let groups = try await alerts.suppressedGroups(minute: minute, on: connection) ?? []
                return .success(Prepared(workspace: workspace, channelID: row.id, spec: spec, secrets: secrets, stormGroups: groups))
            }
            guard let alertID = args.alertID, let alert = try await alerts.find(id: alertID, on: connection) else {
                return .failure(Early(result: .skipped("alert is gone")))
            }
            // Re-checked at send time: the alert may have been resolved, acknowledged or silenced
            // since the job was queued.
            if let event = NotificationEvent(rawValue: args.event), event != .resolved, event != .acknowledged {
                if alert.state == .resolved { return .failure(Early(result: .suppressed("resolved before sending"))) }
                if event == .escalated, alert.state == .acknowledged { return .failure(Early(result: .suppressed("acknowledged before sending"))) }
                let now = clock.now()
                for document in try await silences.activeSilences(at: now, on: connection) {
                    // A corrupt silence is logged and skipped, as when the alert was raised.
                    if let silence = StoredJSON.decodeOrSkip(Silence.self, document.specJSON, row: "silence \(document.id.lowercased)"),
                       silence.mutes(labels: alert.labels, at: now) {
                        return .failure(Early(result: .suppressed("silenced by \(document.id.lowercased)")))
                    }
                }
            }
            return .success(Prepared(workspace: workspace, channelID: row.id, spec: spec, secrets: secrets, alert: alert))
        }
    }

    private func record(_ args: AlertJobs.NotifyArgs, workspaceID: UUID, kind: String?, attempt: Int, status: NotificationRecord.Status,
                        statusCode: Int? = nil, error: String? = nil, duration: Double? = nil, digest: String? = nil) async throws {
        _ = try await database.inWorkspace(workspaceID) { connection in
            try await ledger.append(NotificationRecord(alertID: args.alertID, channelID: args.channelID, channelKind: kind, event: args.event,
                                                       idempotencyKey: args.idempotencyKey, attempt: attempt, status: status,
                                                       statusCode: statusCode, error: error, durationMilliseconds: duration,
                                                       payloadSHA256: digest),
                                    workspaceID: workspaceID, on: connection)
        }
    }
}
