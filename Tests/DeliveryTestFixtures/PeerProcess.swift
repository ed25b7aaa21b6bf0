import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One launched peer process: stdout lines collected by a reader thread (for the
/// `LISTENING <port>` handshake), stderr to a log file, stdin a pipe we hold open so
/// Python peers can exit when it closes. Stopping is idempotent and also runs on deinit.
final class PeerProcess: @unchecked Sendable {
    let name: String
    let logFile: URL
    private let process = Process()
    private let stdinPipe = Pipe()
    private let stdoutPipe = Pipe()
    private let captureStdout: Bool
    // Guarded by `lock`.
    private let lock = NSLock()
    private var lines: [String] = []
    private var started = false
    private var stopped = false

    init(name: String, executable: String, arguments: [String], logFile: URL, captureStdout: Bool = true) {
        self.name = name
        self.logFile = logFile
        self.captureStdout = captureStdout
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
    }

    deinit { stop() }

    func start() throws {
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        process.standardError = log
        process.standardOutput = captureStdout ? stdoutPipe : log
        process.standardInput = stdinPipe
        try process.run()
        lock.withLock { started = true }
        ChildProcessRegistry.register(process.processIdentifier)
        try? log.close()  // the child has its own copy
        if captureStdout {
            let reader = stdoutPipe.fileHandleForReading
            // A plain thread, not a Task: availableData blocks until output or EOF.
            let thread = Thread { [weak self] in
                var pending = Data()
                while true {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    pending.append(chunk)
                    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                        pending.removeSubrange(pending.startIndex...newline)
                        guard let self else { return }
                        self.lock.withLock { self.lines.append(line) }
                    }
                }
            }
            thread.name = "peer-stdout-\(name)"
            thread.start()
        }
    }

    var isRunning: Bool { process.isRunning }

    /// Waits for a stdout line starting with `prefix` and returns the rest of it, trimmed.
    func waitForLine(prefix: String, timeout: Duration = .seconds(20)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = lock.withLock({ lines.first { $0.hasPrefix(prefix) } }) {
                return String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
            }
            if !process.isRunning {
                throw PeerError.exited(peer: name, status: process.terminationStatus, log: logTail())
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw PeerError.timedOut(peer: name, waitingFor: "'\(prefix)' on stdout", log: logTail())
    }

    /// SIGKILL and reap. Safe to call repeatedly and before start().
    ///
    /// Why not SIGTERM: on Linux, Foundation.Process children inherit the spawning thread's
    /// signal mask, in which SIGTERM is blocked, so a polite terminate() is silently ignored
    /// (the Python peers unblock it themselves, Alertmanager does not). Test peers keep no
    /// state worth a graceful shutdown, and SIGKILL keeps stop() fast: it is called from
    /// async tests and must not hold a cooperative thread for seconds.
    func stop() {
        let shouldStop = lock.withLock { () -> Bool in
            defer { stopped = true }
            return started && !stopped
        }
        guard shouldStop else { return }
        let pid = process.processIdentifier
        if process.isRunning {
            kill(pid, SIGKILL)
            let deadline = Date(timeIntervalSinceNow: 2)
            while process.isRunning && Date() < deadline { usleep(5_000) }
        }
        ChildProcessRegistry.unregister(pid)
        try? stdinPipe.fileHandleForWriting.close()
    }

    func logTail(maxBytes: Int = 4000) -> String {
        guard let data = try? Data(contentsOf: logFile) else { return "(no log)" }
        return String(decoding: data.suffix(maxBytes), as: UTF8.self)
    }
}
