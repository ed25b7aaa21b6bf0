import Foundation
import Logging
import VigilCore
import VigilServices

/// The alerting job kinds: deliveries, escalation steps, acknowledgement timeouts and storm
/// summaries. Failures throw, so the runner retries them with backoff; a delivery's last
/// failure is already in the ledger when the job is discarded.
public enum AlertJobHandlers {
    public static func handlers(delivery: NotificationDeliveryService, scheduled: AlertScheduledWork, logger: Logger) -> [any JobHandler] {
        [
            // Longer than any channel's own timeout (at most 60 s), so the transport times out first.
            ClosureJobHandler(kind: AlertJobs.notifyKind, timeout: .seconds(90)) { job in
                let args = try job.decodeArgs(AlertJobs.NotifyArgs.self)
                let result = try await delivery.deliver(args, workspaceID: job.workspaceID, attempt: job.attempt)
                switch result {
                case .failed(let error):
                    logger.warning("notification failed", metadata: ["channel_id": "\(args.channelID)", "event": "\(args.event)",
                                                                      "attempt": "\(job.attempt)", "error": "\(error)"])
                    throw DeliveryFailed(message: error)
                case .sent, .alreadySent, .skipped, .suppressed:
                    logger.debug("notification settled", metadata: ["channel_id": "\(args.channelID)", "result": "\(result)"])
                }
            },
            ClosureJobHandler(kind: AlertJobs.escalateKind, timeout: .seconds(60)) { job in
                _ = try await scheduled.escalate(try job.decodeArgs(AlertJobs.EscalateArgs.self), workspaceID: job.workspaceID)
            },
            ClosureJobHandler(kind: AlertJobs.ackTimeoutKind, timeout: .seconds(60)) { job in
                _ = try await scheduled.acknowledgementTimedOut(try job.decodeArgs(AlertJobs.AckTimeoutArgs.self), workspaceID: job.workspaceID)
            },
            ClosureJobHandler(kind: AlertJobs.stormSummaryKind, timeout: .seconds(60)) { job in
                _ = try await scheduled.sendStormSummary(try job.decodeArgs(AlertJobs.StormSummaryArgs.self), workspaceID: job.workspaceID)
            },
        ]
    }

    struct DeliveryFailed: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
