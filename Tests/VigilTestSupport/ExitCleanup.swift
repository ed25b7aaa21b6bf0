import EmbeddedPostgres
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stops the throwaway cluster and deletes its directory when the test process exits, and
/// cleans up after earlier test processes that died without doing so.
///
/// Signals the postmaster directly (SIGINT = fast shutdown) instead of spawning pg_ctl:
/// starting processes from an atexit handler is fragile, a signal is not.
enum ExitCleanup {
    static let rootPrefix = "vigil-pgtest-"
    private static let ownerFile = "owner.pid"

    private static let registeredRoot = Mutex<String?>(nil)

    /// Records this process as the owner of `root` and stops the cluster at exit.
    static func register(root: String) {
        try? "\(getpid())\n".write(toFile: root + "/" + ownerFile, atomically: true, encoding: .utf8)
        registeredRoot.withLock { $0 = root }
        atexit {
            ExitCleanup.cleanUpRegisteredRoot()
        }
    }

    private static func cleanUpRegisteredRoot() {
        guard let root = registeredRoot.withLock({ $0 }) else { return }
        stopCluster(root: root)
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Test processes that crash or get killed never run atexit, so their clusters keep
    /// running. Stop and delete every cluster whose owning process is gone. Roots without an
    /// owner file (another process just creating one) are left alone.
    static func reapStaleClusters(in directory: String, logger: Logger) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for entry in entries where entry.hasPrefix(rootPrefix) {
            let root = directory + "/" + entry
            guard let owner = readPID(root + "/" + ownerFile), !isAlive(owner) else { continue }
            logger.notice("removing stale test cluster \(root) (owner process \(owner) is gone)")
            stopCluster(root: root)
            try? FileManager.default.removeItem(atPath: root)
        }
    }

    private static func stopCluster(root: String) {
        let dataDirectory = root + "/data"
        guard let pid = readPID(dataDirectory + "/postmaster.pid"), isPostmaster(pid, dataDirectory: dataDirectory)
        else { return }
        kill(pid, SIGINT)
        // Wait (bounded) for the server to go, so its files can be removed.
        for _ in 0..<200 where isAlive(pid) {
            usleep(50_000)
        }
    }

    private static func readPID(_ path: String) -> pid_t? {
        guard let contents = try? String(contentsOfFile: path, encoding: .utf8),
              let line = contents.split(separator: "\n").first
        else { return nil }
        return pid_t(line.trimmingCharacters(in: .whitespaces))
    }

    private static func isAlive(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// Guards against signalling an unrelated process that reused a stale PID.
    private static func isPostmaster(_ pid: pid_t, dataDirectory: String) -> Bool {
        guard let commandLine = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else {
            return isAlive(pid)  // no /proc (macOS): trust postmaster.pid
        }
        let arguments = commandLine.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return arguments.first?.hasSuffix("postgres") == true && arguments.contains(dataDirectory)
    }
}
