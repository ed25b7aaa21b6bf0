import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A PostgreSQL cluster owned by this process: initdb, pg_ctl start/stop, conninfo.
///
/// All methods block (they wait for initdb / pg_ctl); call them off Swift's cooperative pool.
/// As root, directories are handed to the `postgres` OS user and the tools run through
/// `runuser -u postgres --` (initdb and postgres refuse to run as root).
public struct EmbeddedPostgres: Sendable {
    public let dataDirectory: String
    public let port: Int
    public let socketDirectory: String?
    public let listenOnTCP: Bool
    /// Extra server settings passed as `-c key=value` at start (e.g. fsync=off for tests).
    public let settings: [String: String]
    private let logger: Logger

    public init(
        dataDirectory: String,
        port: Int,
        socketDirectory: String? = nil,
        listenOnTCP: Bool = true,
        settings: [String: String] = [:],
        logger: Logger
    ) {
        // Absolute paths: commands run with another working directory.
        self.dataDirectory = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path
        self.port = port
        self.socketDirectory = socketDirectory.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        self.listenOnTCP = listenOnTCP
        self.settings = settings
        self.logger = logger
    }

    // MARK: - Binaries

    /// The directory holding initdb and pg_ctl: the first PATH entry with both, else the
    /// newest /usr/lib/postgresql/<version>/bin (Debian's layout, not on PATH by default).
    public static func findBinDirectory() throws -> String {
        let fileManager = FileManager.default
        func hasTools(_ directory: String) -> Bool {
            fileManager.isExecutableFile(atPath: directory + "/initdb")
                && fileManager.isExecutableFile(atPath: directory + "/pg_ctl")
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":").map(String.init) where !directory.isEmpty && hasTools(directory) {
            return directory
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? fileManager.contentsOfDirectory(atPath: root)) ?? [])
            .sorted { $0.compare($1, options: .numeric) == .orderedDescending }
        for version in versions where hasTools("\(root)/\(version)/bin") {
            return "\(root)/\(version)/bin"
        }
        throw EmbeddedPostgresError(
            command: "find initdb/pg_ctl",
            output: "not on PATH and no \(root)/*/bin; install PostgreSQL (e.g. apt-get install postgresql)"
        )
    }

    // MARK: - Lifecycle

    /// Runs initdb unless the data directory already holds a cluster (PG_VERSION exists).
    public func initializeIfNeeded() throws {
        let fileManager = FileManager.default
        guard !fileManager.fileExists(atPath: dataDirectory + "/PG_VERSION") else { return }
        let bin = try Self.findBinDirectory()
        try fileManager.createDirectory(
            atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
        )
        try prepareForPostgresUser(dataDirectory)

        var arguments = ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        // A cluster that runs with fsync=off has no durability to protect; skip initdb's sync too.
        if settings["fsync"] == "off" { arguments.append("--no-sync") }
        do {
            try runner.run(bin + "/initdb", arguments + ["--locale=C.UTF-8"])
        } catch {
            // Some systems lack the C.UTF-8 locale; plain C works everywhere (encoding stays UTF8).
            logger.debug("initdb with C.UTF-8 failed, retrying with locale C: \(error)")
            try removeContents(of: dataDirectory)
            try runner.run(bin + "/initdb", arguments + ["--locale=C"])
        }
        logger.info("initialized PostgreSQL cluster in \(dataDirectory)")
    }

    /// Starts the server and waits until it accepts connections. Does nothing if it runs already.
    public func start() throws {
        if isRunning { return }
        let bin = try Self.findBinDirectory()
        if let socketDirectory = effectiveSocketDirectory {
            try FileManager.default.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
            try prepareForPostgresUser(socketDirectory)
        }
        if !FileManager.default.fileExists(atPath: logFile) {
            _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        }
        if CommandRunner.isRoot { try PostgresUser.giveOwnership(logFile) }

        // pg_ctl hands -o to /bin/sh, hence the shell quoting.
        var options = ["-p", String(port)]
        options += ["-h", listenOnTCP ? "127.0.0.1" : ""]
        // An empty unix_socket_directories disables unix sockets.
        options += ["-k", effectiveSocketDirectory ?? ""]
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
            options += ["-c", "\(key)=\(value)"]
        }
        do {
            try runner.run(bin + "/pg_ctl", [
                "start", "-w", "-t", "120", "-D", dataDirectory, "-l", logFile,
                "-o", options.map(shellQuote).joined(separator: " "),
            ], startsDaemon: true)
        } catch var error as EmbeddedPostgresError {
            // pg_ctl only says "could not start server"; the reason is in the server log.
            error.output += "\n--- \(logFile) (tail) ---\n" + logTail()
            throw error
        }
        logger.info("started PostgreSQL on \(listenOnTCP ? "127.0.0.1:\(port)" : "socket \(effectiveSocketDirectory ?? "")")")
    }

    /// Stops the server (fast shutdown: sessions are disconnected). Does nothing if stopped.
    public func stop() throws {
        guard isRunning else { return }
        let bin = try Self.findBinDirectory()
        try runner.run(bin + "/pg_ctl", ["stop", "-w", "-t", "60", "-D", dataDirectory, "-m", "fast"])
        logger.info("stopped PostgreSQL in \(dataDirectory)")
    }

    public var isRunning: Bool {
        guard FileManager.default.fileExists(atPath: dataDirectory + "/postmaster.pid"),
              let bin = try? Self.findBinDirectory(),
              let result = try? runner.run(bin + "/pg_ctl", ["status", "-D", dataDirectory], allowFailure: true)
        else { return false }
        return result.exitCode == 0
    }

    // MARK: - Connecting

    /// Keyword/value conninfo for database "postgres" as superuser postgres.
    public var conninfo: String {
        conninfo(database: "postgres")
    }

    public func conninfo(database: String) -> String {
        let host = listenOnTCP ? "127.0.0.1" : (effectiveSocketDirectory ?? "127.0.0.1")
        return "host=\(quote(host)) port=\(port) user=postgres dbname=\(quote(database))"
    }

    /// The PID of the running postmaster, read from postmaster.pid (nil if not running).
    public var postmasterPID: Int32? {
        guard let contents = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
              let firstLine = contents.split(separator: "\n").first
        else { return nil }
        return Int32(firstLine.trimmingCharacters(in: .whitespaces))
    }

    // MARK: - Helpers

    /// Without TCP the server needs a socket somewhere: default to the data dir's parent.
    /// With TCP and no explicit directory, unix sockets are disabled.
    private var effectiveSocketDirectory: String? {
        socketDirectory ?? (listenOnTCP ? nil : parentDirectory)
    }

    private var parentDirectory: String {
        URL(fileURLWithPath: dataDirectory).deletingLastPathComponent().path
    }

    private var logFile: String {
        parentDirectory + "/" + URL(fileURLWithPath: dataDirectory).lastPathComponent + ".log"
    }

    private var runner: CommandRunner {
        CommandRunner(logger: logger, workingDirectory: parentDirectory)
    }

    private func prepareForPostgresUser(_ directory: String) throws {
        guard CommandRunner.isRoot else { return }
        try PostgresUser.giveOwnership(directory)
        try PostgresUser.ensureTraversable(ancestorsOf: directory, logger: logger)
    }

    private func removeContents(of directory: String) throws {
        for entry in try FileManager.default.contentsOfDirectory(atPath: directory) {
            try FileManager.default.removeItem(atPath: directory + "/" + entry)
        }
    }

    private func logTail() -> String {
        guard let text = try? String(contentsOfFile: logFile, encoding: .utf8) else { return "(no log)" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(20).joined(separator: "\n")
    }

    /// libpq keyword/value quoting, only when needed.
    private func quote(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "'" || $0 == "\\" }
        guard needsQuotes else { return value }
        return "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
