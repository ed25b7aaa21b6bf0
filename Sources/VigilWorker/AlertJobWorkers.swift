import Foundation
import Logging
import VigilCore
import VigilServices

/// The alerting jobs: deliveries, escalation steps, acknowledgement timeouts and storm
/// summaries. Failures throw, so the runner retries them with backoff; a delivery's last
/// failure is already in the ledger when the job is discarded.
struct NotifyWorker: JobWorker {
    let delivery: NotificationDeliveryService
    let logger: Logger
    let metrics: JobMetrics?

    func work(_ args: AlertJobs.NotifyArgs, job: ClaimedJob) async throws {
        let (result, channelKind) = try await delivery.deliverReportingKind(args, workspaceID: job.workspaceID, attempt: job.attempt)
        metrics?.delivered(outcome: result.outcomeLabel, channelKind: channelKind)
        switch result {
        case .failed(let error):
            logger.warning("notification failed", metadata: ["channel_id": "\(args.channelID)", "event": "\(args.event)",
                                                              "attempt": "\(job.attempt)", "error": "\(error)"])
            throw DeliveryFailed(message: error)
        case .sent, .alreadySent, .skipped, .suppressed:
            logger.debug("notification settled", metadata: ["channel_id": "\(args.channelID)", "result": "\(result)"])
        }
    }

    struct DeliveryFailed: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

struct EscalateWorker: JobWorker {
    let scheduled: AlertScheduledWork

    func work(_ args: AlertJobs.EscalateArgs, job: ClaimedJob) async throws {
        _ = try await scheduled.escalate(args, workspaceID: job.workspaceID)
    }
}

struct AckTimeoutWorker: JobWorker {
    let scheduled: AlertScheduledWork

    func work(_ args: AlertJobs.AckTimeoutArgs, job: ClaimedJob) async throws {
        _ = try await scheduled.acknowledgementTimedOut(args, workspaceID: job.workspaceID)
    }
}

struct StormSummaryWorker: JobWorker {
    let scheduled: AlertScheduledWork

    func work(_ args: AlertJobs.StormSummaryArgs, job: ClaimedJob) async throws {
        _ = try await scheduled.sendStormSummary(args, workspaceID: job.workspaceID)
    }
}
