import Foundation
import Testing

/// A real `vigil worker` process (the binary built next to this test bundle), its JSON log
/// lines captured from stderr into a file for later inspection.
final class WorkerProcess: @unchecked Sendable {
    let process = Process()
    let logFile: URL

    /// `swift build --build-tests` and `swift test` put the `vigil` executable beside the test bundle.
    static var binary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.deletingLastPathComponent()
        for directory in [beside, beside.deletingLastPathComponent()] {
            let candidate = directory.appendingPathComponent("vigil")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        // swift-testing may run from the .xctest bundle's parent directory layout.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/vigil")
    }

    init(conninfo: String, environment extra: [String: String] = [:]) throws {
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-worker-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = Self.binary
        process.arguments = ["worker"]
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = conninfo
        environment["VIGIL_LOG_FORMAT"] = "json"
        environment["VIGIL_LOG_LEVEL"] = "debug"
        environment["VIGIL_WORKER_METRICS_PORT"] = "0"
        environment["VIGIL_WORKER_POLL_MS"] = "200"
        environment["VIGIL_WORKER_HEARTBEAT_SECONDS"] = "1"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        process.standardError = try FileHandle(forWritingTo: logFile)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// The exit status, or nil if it is still running after `timeout`.
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    /// Parsed JSON log lines.
    func logLines() -> [[String: Any]] {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// Whether this worker has logged a line with `message`.
    func logged(_ message: String) -> Bool {
        logLines().contains { $0["message"] as? String == message }
    }

    /// The ids of the jobs this worker started (its "job started" debug lines).
    func startedJobIDs() -> [String] {
        logLines().filter { $0["message"] as? String == "job started" }.compactMap { $0["job_id"] as? String }
    }

    func stop() async {
        if process.isRunning {
            signal(SIGKILL)
            _ = await waitForExit(timeout: .seconds(10))
        }
        try? FileManager.default.removeItem(at: logFile)
    }
}

/// Polls `condition` until it holds, failing the test after `timeout`.
func eventually(_ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting for: \(what)")
            throw CancellationError()
        }
        try await Task.sleep(for: .milliseconds(100))
    }
}
