import Foundation
import VigilCore
import VigilRepositories

/// What `vigil bench jobs` does to the queue, as platform jobs of the nil workspace. Every
/// figure is read back from the jobs table (the database's clock), not from the caller's.
public struct JobBenchmark: Sendable {
    let database: Database
    private let repository = JobBenchmarkRepository()

    public init(database: Database) {
        self.database = database
    }

    /// Enqueues `count` jobs of `kind` in one statement.
    public func enqueueMany(kind: String, count: Int) async throws {
        try await platformJobs { try await repository.enqueueMany(kind: kind, count: count, workspaceID: platformJobWorkspaceID, on: $0) }
    }

    /// Enqueues one job in its own transaction, as a service would.
    public func enqueueOne<Args: JobArgs>(_ args: Args) async throws {
        _ = try await platformJobs { try await JobQueue().enqueue(args, in: platformJobWorkspaceID, on: $0, maxAttempts: 3) }
    }

    /// Jobs of `kind` not yet finished.
    public func unfinished(kind: String) async throws -> Int {
        try await platformJobs { try await repository.unfinished(kind: kind, on: $0) }
    }

    /// How many jobs of `kind` ran, from the first claim to the last success.
    public func drainSpan(kind: String) async throws -> (jobs: Int, seconds: Double) {
        try await platformJobs { try await repository.drainSpan(kind: kind, on: $0) }
    }

    /// Enqueue-to-claim latency of the jobs of `kind`, in milliseconds.
    public func claimLatency(kind: String) async throws -> (p50: Double, p99: Double, count: Int) {
        try await platformJobs { try await repository.claimLatency(kind: kind, on: $0) }
    }

    private func platformJobs<T: Sendable>(_ body: (Transaction) async throws -> T) async throws -> T {
        try await database.inWorkspace(platformJobWorkspaceID, body)
    }
}
