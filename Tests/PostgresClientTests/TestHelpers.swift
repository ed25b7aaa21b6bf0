import Foundation
import Logging
import NIOConcurrencyHelpers
import PostgresClient
import Testing
import VigilTestSupport

/// Logger for the code under test; VIGIL_TEST_LOG_LEVEL=debug shows libpq notices etc.
let testLogger: Logger = TestCluster.logger

/// One test's private database on the shared cluster.
struct TestDatabase: Sendable {
    let cluster: TestClusterHandle
    let name: String

    var conninfo: String { cluster.conninfo(database: name) }

    func connect(
        statementTimeout: Duration? = nil,
        sessionSetup: [String] = [],
        logger: Logger = testLogger
    ) async throws -> PostgresConnection {
        try await PostgresConnection.connect(
            conninfo: conninfo, statementTimeout: statementTimeout, sessionSetup: sessionSetup, logger: logger
        )
    }

    /// Connects, runs `body`, closes (also on error).
    @discardableResult
    nonisolated(nonsending) func withConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await connect()
        do {
            let value = try await body(connection)
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }

    /// A pool on this database, shut down after `body` (also on error).
    @discardableResult
    nonisolated(nonsending) func withPool<T>(
        _ configure: (inout PostgresPoolConfiguration) -> Void = { _ in },
        _ body: (PostgresPool) async throws -> T
    ) async throws -> T {
        var configuration = PostgresPoolConfiguration(conninfo: conninfo)
        configure(&configuration)
        let pool = PostgresPool(configuration: configuration, logger: testLogger)
        do {
            let value = try await body(pool)
            await pool.shutdown()
            return value
        } catch {
            await pool.shutdown()
            throw error
        }
    }
}

/// Creates a fresh database for one test and drops it afterwards.
@discardableResult
nonisolated(nonsending) func withTestDatabase<T>(_ body: (TestDatabase) async throws -> T) async throws -> T {
    let cluster = try await TestCluster.shared()
    return try await cluster.withDatabase { name in
        try await body(TestDatabase(cluster: cluster, name: name))
    }
}

struct TimeoutError: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Fails (instead of hanging the suite) if `body` does not finish in time. A safety bound,
/// not a synchronization device.
func withTimeout<T: Sendable>(
    _ what: String,
    seconds: Double = 20,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw TimeoutError(what: what)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// Polls `condition` until it holds (a real signal such as pg_stat_activity, observed
/// repeatedly), failing after `seconds`.
func waitUntil(
    _ what: String,
    seconds: Double = 20,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TimeoutError(what: what) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// Expects `body` to throw a PostgresError and returns it for further checks.
@discardableResult
func expectPostgresError(
    _ kind: PostgresError.Kind,
    sqlState: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> PostgresError? {
    do {
        try await body()
        Issue.record("expected PostgresError.\(kind) but nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as PostgresError {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        if let sqlState {
            #expect(error.sqlState == sqlState, "\(error)", sourceLocation: sourceLocation)
        }
        return error
    } catch {
        Issue.record("expected PostgresError.\(kind), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// A swift-log handler that keeps messages so tests can assert on logging.
final class RecordingLogHandler: LogHandler, @unchecked Sendable {
    // @unchecked: `records` is only touched through `lock`; the LogHandler value properties
    // (metadata, logLevel) are set once before the logger is shared.
    private let lock = NIOLock()
    private var records: [(level: Logger.Level, message: String)] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.withLock { records.append((event.level, event.message.description)) }
    }

    var messages: [(level: Logger.Level, message: String)] {
        lock.withLock { records }
    }
}
