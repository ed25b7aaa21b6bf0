import Foundation
import Logging
import VigilRepositories

/// Writes this worker process's heartbeat row.
public struct WorkerHeartbeat: Sendable {
    let database: Database
    let operations = OperationsRepository()
    public let id = UUID()
    let startedAt = Date()
    let version: String

    public init(database: Database, version: String) {
        self.database = database
        self.version = version
    }

    public func beat(jobsRunning: Int) async throws {
        let host = ProcessInfo.processInfo.hostName
        let pid = ProcessInfo.processInfo.processIdentifier
        try await database.platform { connection in
            try await operations.beat(id: id, host: host, pid: pid, version: version, startedAt: startedAt,
                                      jobsRunning: jobsRunning, on: connection)
        }
    }

    public func prune() async throws {
        try await database.platform { try await operations.pruneHeartbeats(on: $0) }
    }
}
