import Foundation
import Logging
import VigilCore
import VigilServices

/// The per-minute fan-out of rule evaluations, one job per workspace.
struct AlertRulesDispatchWorker: JobWorker {
    let evaluator: AlertRuleEvaluator
    let logger: Logger

    func work(_ args: AlertRuleJobs.DispatchArgs, job: ClaimedJob) async throws {
        let enqueued = try await evaluator.dispatch()
        if enqueued > 0 { logger.debug("alert rule evaluations enqueued", metadata: ["workspaces": "\(enqueued)"]) }
    }
}

/// Evaluates one workspace's rules.
struct AlertRulesEvaluateWorker: JobWorker {
    let services: Services
    let logger: Logger

    func work(_ args: AlertRuleJobs.EvaluateArgs, job: ClaimedJob) async throws {
        // A workspace deleted since has nothing to evaluate.
        guard let workspace = try await services.workspaces.find(id: job.workspaceID) else { return }
        let report = try await services.alertRuleEvaluator.evaluate(in: workspace)
        if report.fired + report.resolved + report.failed > 0 {
            logger.info("alert rules evaluated", metadata: ["rules": "\(report.rules)", "fired": "\(report.fired)",
                                                            "resolved": "\(report.resolved)", "failed": "\(report.failed)"])
        }
    }
}

/// The 15-minute fan-out of anomaly scans, one job per workspace.
struct AnomalyDispatchWorker: JobWorker {
    let scanner: AnomalyScanner

    func work(_ args: AnomalyJobs.DispatchArgs, job: ClaimedJob) async throws {
        try await scanner.dispatch()
    }
}

/// Scans one workspace's enabled anomaly detectors.
struct AnomalyScanWorker: JobWorker {
    let services: Services
    let logger: Logger

    func work(_ args: AnomalyJobs.ScanArgs, job: ClaimedJob) async throws {
        guard let workspace = try await services.workspaces.find(id: job.workspaceID) else { return }
        let report = try await services.anomalyScanner.scan(in: workspace)
        if report.anomalies + report.failed > 0 {
            logger.info("anomaly scan", metadata: ["detectors": "\(report.detectors)", "anomalies": "\(report.anomalies)",
                                                   "alerted": "\(report.alerted)", "failed": "\(report.failed)"])
        }
    }
}

/// The fan-out of performance baselines (every 6 hours) and analyses (every 30 minutes).
struct PerformanceDispatchWorker: JobWorker {
    let insights: PerformanceInsightService

    func work(_ args: PerformanceJobs.DispatchArgs, job: ClaimedJob) async throws {
        try await insights.dispatch(args.task)
    }
}

/// One workspace's baselines or analysis.
struct PerformanceRunWorker: JobWorker {
    let services: Services
    let logger: Logger

    func work(_ args: PerformanceJobs.RunArgs, job: ClaimedJob) async throws {
        guard let workspace = try await services.workspaces.find(id: job.workspaceID) else { return }
        switch args.task {
        case .baselines:
            let groups = try await services.performanceInsights.refreshBaselines(in: workspace)
            logger.debug("performance baselines refreshed", metadata: ["groups": "\(groups)"])
        case .analyze:
            let regressions = try await services.performanceInsights.analyze(in: workspace).filter { $0.verdict == .regression }.count
            if regressions > 0 { logger.info("performance regressions", metadata: ["count": "\(regressions)"]) }
        }
    }
}

/// The five-minute fan-out of attack scans, one job per workspace with recent security events.
struct SecurityDispatchWorker: JobWorker {
    let scanner: SecurityScanner

    func work(_ args: SecurityJobs.DispatchArgs, job: ClaimedJob) async throws {
        try await scanner.dispatch()
    }
}

/// Runs the attack detectors over one workspace's last 15 minutes of security events.
struct SecurityScanWorker: JobWorker {
    let services: Services
    let logger: Logger

    func work(_ args: SecurityJobs.ScanArgs, job: ClaimedJob) async throws {
        guard let workspace = try await services.workspaces.find(id: job.workspaceID) else { return }
        let report = try await services.securityScanner.scan(workspace)
        if report.detections + report.blocked > 0 {
            logger.info("security scan", metadata: ["detections": "\(report.detections)", "blocked": "\(report.blocked)",
                                                    "forgotten": "\(report.forgotten)"])
        }
    }
}
