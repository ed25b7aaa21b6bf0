import Foundation
import PostgresClient
import Testing

/// An empty conninfo takes everything from PG* environment variables.
///
/// Changing this process's environment while other tests connect in parallel would race with
/// libpq's getenv calls, so the test re-runs this test binary as a child process with the
/// variables set, and the child reports which database it reached.
@Suite struct EnvironmentConninfoTests {
    static let outputVariable = "VIGIL_PG_ENV_CHILD_OUTPUT"
    static let childTestName = "emptyConninfoChildProcess"

    /// libpq keyword -> environment variable, for the keywords a test server may need.
    static let environmentNames = [
        "host": "PGHOST", "hostaddr": "PGHOSTADDR", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD",
        "dbname": "PGDATABASE", "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "options": "PGOPTIONS",
    ]

    @Test func emptyConninfoUsesPGEnvironmentVariables() async throws {
        try await withTestDatabase { db in
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
            for (key, value) in try PostgresConninfo.parse(db.conninfo) {
                let name = try #require(Self.environmentNames[key], "no environment variable for '\(key)'")
                environment[name] = value
            }
            #expect(environment["PGDATABASE"] == db.name)
            #expect(environment["PGHOST"] != nil && environment["PGPORT"] != nil && environment["PGUSER"] != nil)
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-env-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: output) }
            environment[Self.outputVariable] = output.path

            let (status, log) = try await Self.runThisTestBinary(
                arguments: ["--testing-library", "swift-testing", "--filter", Self.childTestName],
                environment: environment
            )
            #expect(status == 0, "child test run failed:\n\(log)")
            let reported = try String(contentsOf: output, encoding: .utf8)
            #expect(reported == "\(db.name)\n", "child log:\n\(log)")
        }
    }

    /// Runs only inside the child process started above.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[outputVariable] != nil))
    func emptyConninfoChildProcess() async throws {
        let output = try #require(ProcessInfo.processInfo.environment[Self.outputVariable])
        let connection = try await PostgresConnection.connect(conninfo: "", logger: testLogger)
        let row = try #require(try await connection.query("SELECT current_database() AS db").first)
        let database = try row.decode("db", as: String.self)
        await connection.close()
        try (database + "\n").write(toFile: output, atomically: true, encoding: .utf8)
    }

    static func runThisTestBinary(arguments: [String], environment: [String: String]) async throws -> (Int32, String) {
        let executable = FileManager.default.fileExists(atPath: "/proc/self/exe")
            ? try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
            : CommandLine.arguments[0]
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-env-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = logHandle
        process.standardError = logHandle
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return (status, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}
