import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs PostgreSQL's command-line tools, as the `postgres` OS user when we are root
/// (initdb and pg_ctl refuse to run as root).
struct CommandRunner: Sendable {
    let logger: Logger
    /// Where commands run; must be readable by the postgres user (our cwd may be /root).
    let workingDirectory: String

    struct Result {
        var exitCode: Int32
        var stdout: String
        var stderr: String
    }

    static var isRoot: Bool { geteuid() == 0 }

    /// Runs the command and throws `EmbeddedPostgresError` on a non-zero exit status unless
    /// `allowFailure` is set.
    ///
    /// `startsDaemon` must be set for commands that leave a background process behind
    /// (`pg_ctl start`): Foundation.Process on Linux learns that a child exited through a socket
    /// the child inherits, and a daemon inheriting it too keeps `waitUntilExit()` blocked
    /// forever. Those commands are spawned with posix_spawn, closing every descriptor above
    /// stderr, and reaped with waitpid.
    @discardableResult
    func run(
        _ executable: String, _ arguments: [String], allowFailure: Bool = false, startsDaemon: Bool = false
    ) throws -> Result {
        let (launchPath, launchArguments) = Self.isRoot
            ? try Self.asPostgresUser(executable, arguments)
            : (executable, arguments)
        let display = ([executable] + arguments).joined(separator: " ")
        logger.debug("running \(display)")

        // Temp files rather than pipes: no deadlock on large output, and no hang if a daemon
        // (the postmaster) inherits the descriptors.
        let outputDirectory = FileManager.default.temporaryDirectory
        let stdoutURL = outputDirectory.appendingPathComponent("vigil-pg-\(UUID().uuidString).out")
        let stderrURL = outputDirectory.appendingPathComponent("vigil-pg-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: stdoutURL)
            try? FileManager.default.removeItem(at: stderrURL)
        }

        let exitCode: Int32
        if startsDaemon, let spawn = DaemonSafeSpawn.available {
            exitCode = try spawn.run(
                launchPath, launchArguments, directory: workingDirectory,
                stdout: stdoutURL.path, stderr: stderrURL.path, display: display
            )
        } else {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: launchPath)
            process.arguments = launchArguments
            process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
            process.standardInput = FileHandle.nullDevice
            let stdoutHandle = try FileHandle(forWritingTo: stdoutURL)
            let stderrHandle = try FileHandle(forWritingTo: stderrURL)
            defer {
                try? stdoutHandle.close()
                try? stderrHandle.close()
            }
            process.standardOutput = stdoutHandle
            process.standardError = stderrHandle
            do {
                try process.run()
            } catch {
                throw EmbeddedPostgresError(command: display, output: "could not launch: \(error)")
            }
            process.waitUntilExit()
            exitCode = process.terminationStatus
        }

        let result = Result(
            exitCode: exitCode,
            stdout: (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        )
        if result.exitCode != 0, !allowFailure {
            let output = result.stderr.isEmpty ? result.stdout : result.stderr
            throw EmbeddedPostgresError(command: display, exitCode: result.exitCode, output: output)
        }
        return result
    }

    private static func asPostgresUser(_ executable: String, _ arguments: [String]) throws -> (String, [String]) {
        for runuser in ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"]
        where FileManager.default.isExecutableFile(atPath: runuser) {
            return (runuser, ["-u", PostgresUser.name, "--", executable] + arguments)
        }
        let commandLine = ([executable] + arguments).map(shellQuote).joined(separator: " ")
        return ("/bin/su", [PostgresUser.name, "-s", "/bin/sh", "-c", commandLine])
    }
}

/// posix_spawn + waitpid for commands that leave a daemon behind (see `CommandRunner.run`).
///
/// The child gets stdin from /dev/null, stdout/stderr into files, the given working directory,
/// and no other inherited descriptors. `addclosefrom_np` / `addchdir_np` are glibc extensions
/// that Swift's Glibc module does not import, so they are looked up with dlsym; where they are
/// missing (not glibc ≥ 2.34), callers fall back to Foundation.Process.
struct DaemonSafeSpawn {
    private typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32

    private let addClosefrom: AddClosefrom
    private let addChdir: AddChdir

    static let available: DaemonSafeSpawn? = {
        #if os(Linux)
        guard let closefrom = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np"),
              let chdir = dlsym(nil, "posix_spawn_file_actions_addchdir_np")
        else { return nil }
        return DaemonSafeSpawn(
            addClosefrom: unsafeBitCast(closefrom, to: AddClosefrom.self),
            addChdir: unsafeBitCast(chdir, to: AddChdir.self)
        )
        #else
        // Darwin's Process does not have the inherited-socket problem.
        return nil
        #endif
    }()

    func run(
        _ path: String, _ arguments: [String], directory: String,
        stdout: String, stderr: String, display: String
    ) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_TRUNC, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_TRUNC, 0)
        _ = addClosefrom(&actions, 3)
        _ = addChdir(&actions, directory)

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawnError = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard spawnError == 0 else {
            throw EmbeddedPostgresError(command: display, output: "could not launch: \(String(cString: strerror(spawnError)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else {
                throw EmbeddedPostgresError(command: display, output: "waitpid: \(String(cString: strerror(errno)))")
            }
        }
        // WIFEXITED / WEXITSTATUS are macros Swift does not import.
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

/// Single-quotes a word for /bin/sh.
func shellQuote(_ word: String) -> String {
    "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// The OS account the server runs as when we are root.
enum PostgresUser {
    static let name = "postgres"

    static func ids() throws -> (uid: uid_t, gid: gid_t) {
        guard let entry = getpwnam(name) else {
            throw EmbeddedPostgresError(
                command: "getpwnam(\(name))",
                output: "running as root requires an OS user '\(name)' to own the cluster (initdb refuses root)"
            )
        }
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    /// Gives `path` to the postgres user (directories we create for the server).
    static func giveOwnership(_ path: String) throws {
        let (uid, gid) = try ids()
        guard chown(path, uid, gid) == 0 else {
            throw EmbeddedPostgresError(command: "chown \(name) \(path)", output: String(cString: strerror(errno)))
        }
    }

    /// Makes every ancestor of `path` searchable by others (o+x only, not readable), so the
    /// postgres user can reach a data directory under e.g. a 0700 temp directory.
    static func ensureTraversable(ancestorsOf path: String, logger: Logger) throws {
        var current = URL(fileURLWithPath: path).deletingLastPathComponent()
        var ancestors: [String] = []
        while current.path != "/" && !current.path.isEmpty {
            ancestors.append(current.path)
            current = current.deletingLastPathComponent()
        }
        for directory in ancestors.reversed() {
            var info = stat()
            guard stat(directory, &info) == 0 else { continue }
            if info.st_mode & S_IXOTH == 0 {
                logger.notice("adding o+x to \(directory) so the postgres user can reach the data directory")
                guard chmod(directory, info.st_mode & 0o7777 | S_IXOTH) == 0 else {
                    throw EmbeddedPostgresError(command: "chmod o+x \(directory)", output: String(cString: strerror(errno)))
                }
            }
        }
    }
}
