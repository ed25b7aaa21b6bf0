import Foundation
import Prometheus
import Synchronization
import VigilCore
import VigilServices

/// The worker's job metrics, served on its own `/metrics` (VIGIL_WORKER_METRICS_PORT):
/// pending jobs by kind and state (sampled from the database), run durations and outcomes by
/// kind, and claim latency (due to started). Kinds are code-defined, so labels stay bounded.
public final class JobMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    /// Gauges seen so far, so a (kind, state) that empties out reads 0 instead of its last value.
    private let pendingGauges = Mutex<[String: Gauge]>([:])

    static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500),
        .seconds(1), .seconds(5), .seconds(30), .seconds(120), .seconds(600),
    ]
    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30), .seconds(300),
    ]

    public init() {}

    func started(_ job: ClaimedJob) {
        guard let latency = job.claimLatency else { return }
        registry.makeDurationHistogram(
            descriptor: .init(metricName: "vigil_job_claim_latency", unitName: "seconds",
                              helpText: "Time from a job becoming due (enqueue, or its retry time) to a worker claiming it."),
            labels: [("kind", job.kind)], buckets: Self.latencyBuckets
        ).record(.nanoseconds(Int64(latency * 1_000_000_000)))
    }

    func finished(_ job: ClaimedJob, succeeded: Bool, duration: Duration) {
        let outcome = succeeded ? "succeeded" : "failed"
        registry.makeDurationHistogram(
            descriptor: .init(metricName: "vigil_job_run_duration", unitName: "seconds",
                              helpText: "Job run duration by kind and outcome (succeeded, failed)."),
            labels: [("kind", job.kind), ("outcome", outcome)], buckets: Self.durationBuckets
        ).record(duration)
        registry.makeCounter(
            descriptor: .init(metricName: "vigil_job_runs", unitName: "total", helpText: "Job runs by kind and outcome (succeeded, failed)."),
            labels: [("kind", job.kind), ("outcome", outcome)]
        ).increment()
        if !succeeded {
            registry.makeCounter(
                descriptor: .init(metricName: "vigil_job_failures", unitName: "total", helpText: "Failed job attempts by kind."),
                labels: [("kind", job.kind)]
            ).increment()
        }
    }

    /// One notification job settled: `sent`, `failed` (retried), `already_sent`, `skipped`
    /// (channel or alert gone, channel disabled) or `suppressed` (resolved, acknowledged or
    /// silenced before sending), by the channel's kind when it was known.
    func delivered(outcome: String, channelKind: String?) {
        registry.makeCounter(
            descriptor: .init(metricName: "vigil_notifications", unitName: "total",
                              helpText: "Notification deliveries by channel kind and outcome (sent, failed, already_sent, skipped, suppressed)."),
            labels: [("channel_kind", channelKind ?? "unknown"), ("outcome", outcome)]
        ).increment()
    }

    /// Replaces the pending-jobs gauges with a fresh sample.
    public func recordPending(_ counts: [JobCount]) {
        let sampled = Dictionary(counts.map { ("\($0.kind)\u{0}\($0.state.rawValue)", $0) }, uniquingKeysWith: { a, _ in a })
        pendingGauges.withLock { gauges in
            for (key, count) in sampled where gauges[key] == nil {
                gauges[key] = registry.makeGauge(
                    descriptor: .init(metricName: "vigil_jobs_pending", unitName: "",
                                      helpText: "Unfinished jobs by kind and state (available, retryable, running)."),
                    labels: [("kind", count.kind), ("state", count.state.rawValue)])
            }
            for (key, gauge) in gauges { gauge.set(Double(sampled[key]?.jobs ?? 0)) }
        }
    }

    /// The job families, then the process's own (`process_*`).
    public func exposition() -> String {
        ProcessSampler.appended(to: registry.emitToString())
    }
}
