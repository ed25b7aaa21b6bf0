import EmbeddedPostgres
import Foundation
import Logging
import PostgresClient

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The PostgreSQL server shared by all tests of one test process.
public enum TestCluster {
    /// Environment variable naming an existing server to use instead of a throwaway cluster.
    public static let databaseURLVariable = "VIGIL_TEST_DATABASE_URL"

    /// Started on first use, exactly once even when many tests ask concurrently (a static
    /// `let` is initialized once, atomically); a startup failure is reported to every caller.
    private static let startup = Task<TestClusterHandle, Error> {
        try await start()
    }

    /// Started once per test process and shared. If `VIGIL_TEST_DATABASE_URL` is set, that
    /// server is used (it must allow CREATE DATABASE); otherwise a throwaway cluster is created
    /// under a fresh temp directory (unix socket only) and stopped at process exit.
    public static func shared() async throws -> TestClusterHandle {
        try await startup.value
    }

    /// Logger for test infrastructure; level from VIGIL_TEST_LOG_LEVEL (default warning).
    public static let logger: Logger = {
        var logger = Logger(label: "vigil.test-cluster")
        logger.logLevel = ProcessInfo.processInfo.environment["VIGIL_TEST_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .warning
        return logger
    }()

    private static func start() async throws -> TestClusterHandle {
        if let url = ProcessInfo.processInfo.environment[databaseURLVariable], !url.isEmpty {
            let handle = TestClusterHandle(adminConninfo: url, logger: logger)
            try await handle.checkConnection()
            return handle
        }
        let embedded = try await runOffCooperativePool { try startEmbedded() }
        let handle = TestClusterHandle(adminConninfo: embedded.conninfo, logger: logger)
        try await handle.checkConnection()
        return handle
    }

    /// initdb + pg_ctl start in a fresh temp directory, registered for shutdown at exit.
    private static func startEmbedded() throws -> EmbeddedPostgres {
        ExitCleanup.reapStaleClusters(in: "/tmp", logger: logger)
        var template = Array("/tmp/\(ExitCleanup.rootPrefix)XXXXXX".utf8CString)
        guard let root = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }).map({ String(cString: $0) })
        else {
            throw EmbeddedPostgresError(command: "mkdtemp", output: String(cString: strerror(errno)))
        }
        let cluster = EmbeddedPostgres(
            dataDirectory: root + "/data",
            // No TCP listener: the port only names the socket file, but a free one avoids
            // surprises if someone flips listenOnTCP.
            port: try freePort(),
            socketDirectory: root + "/socket",
            listenOnTCP: false,
            settings: [
                "max_connections": "300",
                "fsync": "off",
                "synchronous_commit": "off",
                "full_page_writes": "off",
            ],
            logger: logger
        )
        ExitCleanup.register(root: root)
        try cluster.initializeIfNeeded()
        try cluster.start()
        return cluster
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw EmbeddedPostgresError(command: "socket()", output: String(cString: strerror(errno))) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw EmbeddedPostgresError(command: "bind()", output: String(cString: strerror(errno))) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Runs blocking work (initdb, pg_ctl) on its own thread so it never occupies Swift's
/// cooperative pool.
func runOffCooperativePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result(catching: body))
        }
        thread.name = "vigil-test-cluster"
        thread.start()
    }
}
