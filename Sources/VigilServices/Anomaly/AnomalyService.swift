import Foundation
import VigilCore
import VigilRepositories

/// A stored detector as the API shows it.
public struct AnomalyDetectorView: Sendable {
    public var id: UUID
    public var definition: AnomalyDetectorDefinition
    public var createdAt: Date
    public var updatedAt: Date
    public var lastScannedAt: Date?
    public var lastError: String?
}

/// Anomaly detectors (admin writes, viewers read) and the anomalies they found. Scans are
/// `AnomalyScanner`'s.
public struct AnomalyService: Sendable {
    let database: Database
    let clock: WallClock
    let repository = AnomalyRepository()
    let quota: ConfigObjectQuota

    public init(database: Database, clock: WallClock, limits: WorkspaceLimitPolicy) {
        self.database = database
        self.clock = clock
        self.quota = ConfigObjectQuota(.anomalyDetector, limits)
    }

    public func create(_ definition: AnomalyDetectorDefinition, in workspace: Workspace) async throws -> AnomalyDetectorView {
        if let problem = definition.validate() { throw ServiceError(problem) }
        let id = UUID(), now = clock.now(), json = try Self.encode(definition)
        try await database.inWorkspace(workspace.id) { connection in
            try await quota.reserve(workspaceID: workspace.id, on: connection)
            guard try await repository.insertDetector(id: id, name: definition.name, specJSON: json, enabled: definition.enabled, at: now,
                                                      workspaceID: workspace.id, on: connection) else {
                throw ServiceError.conflict("an anomaly detector named '\(definition.name)' already exists")
            }
        }
        return AnomalyDetectorView(id: id, definition: definition, createdAt: now, updatedAt: now, lastScannedAt: nil, lastError: nil)
    }

    public func list(in workspace: Workspace, limit: Int?, cursor: String?) async throws -> Page<AnomalyDetectorView> {
        try await paged(limit: limit, cursor: cursor, position: { NameCursor(after: $0.definition.name) }) { request in
            try await database.inWorkspace(workspace.id) { connection in
                try await repository.listDetectors(after: request.cursor?.after, limit: request.limit, on: connection).map(Self.view)
            }
        }
    }

    public func get(_ id: UUID, in workspace: Workspace) async throws -> AnomalyDetectorView {
        try await database.inWorkspace(workspace.id) { connection in
            guard let stored = try await repository.findDetector(id: id, on: connection) else { throw Self.notFound(id) }
            return try Self.view(stored)
        }
    }

    /// Replaces the definition; the detector's history is rebuilt from the rollups at the next scan.
    public func update(_ id: UUID, to definition: AnomalyDetectorDefinition, in workspace: Workspace) async throws -> AnomalyDetectorView {
        if let problem = definition.validate() { throw ServiceError(problem) }
        let now = clock.now(), json = try Self.encode(definition)
        return try await database.inWorkspace(workspace.id) { connection in
            switch try await repository.updateDetector(id: id, name: definition.name, specJSON: json, enabled: definition.enabled, at: now, on: connection) {
            case .notFound: throw Self.notFound(id)
            case .nameTaken: throw ServiceError.conflict("an anomaly detector named '\(definition.name)' already exists")
            case .updated: return try Self.view(try await repository.findDetector(id: id, on: connection)!)
            }
        }
    }

    /// Deletes the detector with its history and its anomalies (their alerts stay, as alerts do).
    public func delete(_ id: UUID, in workspace: Workspace) async throws {
        try await database.inWorkspace(workspace.id) { connection in
            guard try await repository.deleteDetector(id: id, on: connection) else { throw Self.notFound(id) }
        }
    }

    /// Newest first.
    public func anomalies(in workspace: Workspace, filter: AnomalyFilter, limit: Int?, cursor: String?) async throws -> Page<AnomalyRecord> {
        try await paged(limit: limit, cursor: cursor, position: { TimeCursor(createdAt: $0.bucket, id: $0.id) }) { request in
            try await database.inWorkspace(workspace.id) { connection in
                try await repository.anomalies(filter, after: request.cursor, limit: request.limit, on: connection)
            }
        }
    }

    public func anomaly(_ id: UUID, in workspace: Workspace) async throws -> AnomalyRecord {
        try await database.inWorkspace(workspace.id) { connection in
            guard let found = try await repository.anomaly(id: id, on: connection) else {
                throw ServiceError.notFound("no anomaly \(id.lowercased)")
            }
            return found
        }
    }

    static func view(_ stored: StoredAnomalyDetector) throws -> AnomalyDetectorView {
        AnomalyDetectorView(id: stored.id,
                            definition: try StoredJSON.decode(AnomalyDetectorDefinition.self, stored.specJSON, row: "anomaly_detectors \(stored.id.lowercased)"),
                            createdAt: stored.createdAt, updatedAt: stored.updatedAt, lastScannedAt: stored.lastScannedAt, lastError: stored.lastError)
    }

    static func encode(_ definition: AnomalyDetectorDefinition) throws -> String {
        String(decoding: try JSONEncoder.sortedKeys.encode(definition), as: UTF8.self)
    }

    static func notFound(_ id: UUID) -> ServiceError { .notFound("no anomaly detector \(id.lowercased)") }
}
