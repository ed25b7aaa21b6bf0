import ArgumentParser
import EmbeddedPostgres
import Foundation
import Logging
import VigilCore
import VigilServices
import VigilWorker

/// `vigil bench …`: benchmarks that print figures measured in one run on this machine.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Benchmarks (print figures; see docs/benchmarks.md).",
                                                    subcommands: [JobsBenchmark.self, RulesBenchmark.self])
}

/// Throughput: enqueue `--jobs` no-op jobs in batches, then start one `vigil worker` process and
/// time it from its first claim to its last success. Latency: with that worker idle, single
/// enqueues from several producers at a steady rate; enqueue-to-claim p50/p99. Every timing
/// is read back from the jobs table (the database's clock), not from this process.
struct JobsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs", abstract: "Job queue throughput and enqueue-to-start latency.")

    @Option(help: "No-op jobs for the throughput run.") var jobs = 100_000
    @Option(help: "Jobs per enqueue batch.") var batch = 1_000
    @Option(help: "The worker's VIGIL_WORKER_CONCURRENCY.") var concurrency = 64
    @Option(name: .customLong("latency-jobs"), help: "Single enqueues for the latency run.") var latencyJobs = 2_000
    @Option(name: .customLong("latency-rate"), help: "Single enqueues per second during the latency run.") var latencyRate = 500
    @Option(name: .customLong("data-dir"), help: "Where the benchmark's own PostgreSQL cluster lives.") var dataDirectory = ".vigil-bench"
    @Option(name: .customLong("pg-port"), help: "Port of that cluster (127.0.0.1).") var pgPort = 54339

    func run() async throws {
        let logger = Logger(label: "vigil.bench")
        let postgres = EmbeddedPostgres(dataDirectory: dataDirectory + "/pgdata", port: pgPort, logger: logger)
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        try postgres.initializeIfNeeded()
        if !postgres.isRunning { try postgres.start() }
        defer { try? postgres.stop() }

        let bench = try await BenchDatabase.create(named: "vigil_bench", in: postgres, maxConnections: 8, logger: logger)
        let queue = bench.jobs
        let noop = DiagnosticJobs.NoopArgs.kind

        // Throughput.
        let enqueueStart = ContinuousClock.now
        var enqueued = 0
        while enqueued < jobs {
            let count = min(batch, jobs - enqueued)
            try await queue.enqueueMany(kind: noop, count: count)
            enqueued += count
        }
        let enqueueSeconds = (ContinuousClock.now - enqueueStart).seconds
        report("enqueue", "\(jobs) jobs in batches of \(batch): \(Int(Double(jobs) / enqueueSeconds)) jobs/s")

        let worker = try startWorker(conninfo: bench.conninfo)
        defer { if worker.isRunning { worker.terminate(); worker.waitUntilExit() } }
        while try await queue.unfinished(kind: noop) > 0 {
            guard worker.isRunning else { throw ValidationError("the worker exited with status \(worker.terminationStatus)") }
            try await Task.sleep(for: .milliseconds(200))
        }
        let span = try await queue.drainSpan(kind: noop)
        let throughput = Double(span.jobs) / span.seconds
        report("throughput", "\(span.jobs) no-op jobs, one worker (concurrency \(concurrency)): \(Int(throughput)) jobs/s "
            + "(\(String(format: "%.2f", span.seconds)) s first claim to last success; goal >= 5000)")

        // Latency: single enqueues at a steady rate from 4 producers, worker otherwise idle.
        let probe = DiagnosticJobs.PingArgs.kind
        try await singleEnqueues(DiagnosticJobs.PingArgs(), queue: queue)
        while try await queue.unfinished(kind: probe) > 0 {
            try await Task.sleep(for: .milliseconds(100))
        }
        let latency = try await queue.claimLatency(kind: probe)
        report("latency", "\(latency.count) single enqueues at \(latencyRate)/s: enqueue-to-start p50 "
            + "\(String(format: "%.2f", latency.p50)) ms, p99 \(String(format: "%.2f", latency.p99)) ms (goal p50 <= 10 ms)")

        worker.terminate()
        worker.waitUntilExit()
        report("shutdown", "worker exit status \(worker.terminationStatus) after SIGTERM")
        await bench.shutdown()
    }

    /// The latency probe is its own kind (`diagnostic.ping`) so its figures never mix with the
    /// throughput run.
    private func singleEnqueues<Args: JobArgs>(_ args: Args, queue: JobBenchmark) async throws {
        let producers = 4
        let perProducer = latencyJobs / producers
        let interval = Duration.seconds(Double(producers) / Double(latencyRate))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<producers {
                group.addTask {
                    var next = ContinuousClock.now
                    for _ in 0..<perProducer {
                        try await queue.enqueueOne(args)
                        next += interval
                        try await Task.sleep(until: next, clock: .continuous)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    private func startWorker(conninfo: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        process.arguments = ["worker"]
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = conninfo
        environment["VIGIL_WORKER_CONCURRENCY"] = String(concurrency)
        environment["VIGIL_WORKER_METRICS_PORT"] = "0"
        environment["VIGIL_LOG_LEVEL"] = "warning"
        process.environment = environment
        try process.run()
        return process
    }

    private func report(_ phase: String, _ text: String) {
        FileHandle.standardOutput.write(Data("bench jobs \(phase): \(text)\n".utf8))
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
