import ArgumentParser
import EmbeddedPostgres
import Foundation
import Logging
import VigilCore
import VigilServices

/// One workspace with `--series` metric series (ten metrics, `endpoint` × `status` tags, points
/// in the current minute) and `--rules` alert rules of four shapes (grouped rates, filtered
/// percentiles, grouped ratios, ungrouped means); then the worker's per-minute evaluation of
/// that workspace, timed `--ticks` times. Goal: a tick under 5 s on the 2-core machine.
struct RulesBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "Alert rule evaluation time per minute tick.")

    @Option(help: "Alert rules in the workspace.") var rules = 1_000
    @Option(help: "Metric series in the workspace (a multiple of 100).") var series = 10_000
    @Option(help: "Evaluations to time.") var ticks = 3
    @Option(name: .customLong("data-dir"), help: "Where the benchmark's own PostgreSQL cluster lives.") var dataDirectory = ".vigil-bench"
    @Option(name: .customLong("pg-port"), help: "Port of that cluster (127.0.0.1).") var pgPort = 54339

    static let metrics = 10

    func run() async throws {
        guard series >= 100, series % 100 == 0, rules >= 4 else { throw ValidationError("--series must be a multiple of 100, --rules at least 4") }
        let logger = Logger(label: "vigil.bench")
        let postgres = EmbeddedPostgres(dataDirectory: dataDirectory + "/pgdata", port: pgPort, logger: logger)
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        try postgres.initializeIfNeeded()
        if !postgres.isRunning { try postgres.start() }
        defer { try? postgres.stop() }
        let bench = try await BenchDatabase.create(named: "vigil_bench_rules", in: postgres, maxConnections: 8, logger: logger)
        let services = bench.services(logger: logger)
        let (workspace, _) = try await services.workspaces.create(WorkspaceCreation(name: "Rules bench", slug: nil, settings: WorkspaceSettings()),
                                                                  actor: .system("bench"), metadata: .cli)

        let started = ContinuousClock.now
        try await ingest(into: workspace, services: services)
        report("setup", "\(series) series in \(Self.metrics) metrics, 3 points each, ingested in \(format((ContinuousClock.now - started).seconds)) s")
        for index in 0..<rules {
            _ = try await services.alertRules.create(try rule(index), in: workspace)
        }

        var seconds: [Double] = []
        var last = AlertRuleEvaluator.Report()
        for _ in 0..<ticks {
            let tick = ContinuousClock.now
            last = try await services.alertRuleEvaluator.evaluate(in: workspace)
            seconds.append((ContinuousClock.now - tick).seconds)
        }
        let best = seconds.min() ?? 0, worst = seconds.max() ?? 0
        report("evaluate", "\(last.rules) rules over \(series) series, \(ticks) ticks: best \(format(best)) s, worst \(format(worst)) s, "
            + "\(format(best / Double(max(1, last.rules)) * 1_000)) ms per rule; fired \(last.fired), failed \(last.failed) on the last tick")
        report("ratio", "worst tick / 5 s goal = \(format(worst / 5)); worst tick / 60 s tick budget = \(format(worst / 60))")
        await bench.shutdown()
    }

    private func ingest(into workspace: Workspace, services: Services) async throws {
        var batch: [RawMetricPoint] = []
        let perMetric = series / Self.metrics
        for metric in 0..<Self.metrics {
            for index in 0..<perMetric {
                let tags = ["endpoint": "e\(index / 10)", "status": String(200 + (index % 10) * 37)]
                for value in [12.0, 48.0, 230.0] {
                    batch.append(RawMetricPoint(name: "svc\(metric).request.duration", kind: "timing", value: value + Double(index % 7), tags: tags))
                }
                if batch.count >= 4_500 {
                    _ = try await services.metricIngest.ingest(batch, into: workspace)
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        if !batch.isEmpty { _ = try await services.metricIngest.ingest(batch, into: workspace) }
    }

    /// Four shapes, spread over the ten metrics.
    private func rule(_ index: Int) throws -> AlertRuleDefinition {
        let metric = "svc\(index % Self.metrics).request.duration"
        let errors = try LabelMatcher(name: "status", op: .regexMatch, value: "5..")
        let name = "rule-\(index)"
        switch index % 4 {
        case 0: return AlertRuleDefinition(name: name, metric: metric, matchers: [errors], statistic: .rate, comparison: .greater,
                                           threshold: 0.5, groupBy: ["endpoint"])
        case 1: return AlertRuleDefinition(name: name, metric: metric, matchers: [try LabelMatcher(name: "endpoint", op: .equal, value: "e\(index % 100)")],
                                           statistic: .p95, comparison: .greater, threshold: 200, forMinutes: 5)
        case 2: return AlertRuleDefinition(name: name, metric: metric, matchers: [errors], statistic: .count, denominator: AlertRuleDenominator(),
                                           comparison: .greater, threshold: 0.5, groupBy: ["endpoint"])
        default: return AlertRuleDefinition(name: name, metric: metric, statistic: .mean, comparison: .greater, threshold: 1_000)
        }
    }

    private func format(_ value: Double) -> String { String(format: "%.3f", value) }

    private func report(_ phase: String, _ text: String) {
        FileHandle.standardOutput.write(Data("bench rules \(phase): \(text)\n".utf8))
    }
}
