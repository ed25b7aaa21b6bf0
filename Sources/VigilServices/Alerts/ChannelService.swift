import Foundation
import VigilCore
import VigilRepositories

/// A channel as the API shows it: its definition and the names of the secrets it holds.
public struct ChannelView: Sendable {
    public var id: UUID
    public var spec: NotificationChannelSpec
    public var secretsSet: [String]
    public var createdAt: Date
    public var updatedAt: Date
}

/// Notification channels. Secrets go in, never out: views list only which secrets are set.
public struct ChannelService: Sendable {
    let database: Database
    let audit: AuditTrail
    let repository = ChannelRepository()
    let referencing = [AlertingConfigRepository(.routes), AlertingConfigRepository(.escalationPolicies)]

    public func create(_ spec: NotificationChannelSpec, secrets: ChannelSecrets, in workspaceID: UUID, actor: Actor,
                       metadata: RequestMetadata) async throws -> ChannelView {
        if let problem = spec.validate(secrets: secrets) { throw ServiceError(problem) }
        return try await database.inWorkspace(workspaceID) { connection in
            guard let row = try await repository.insert(id: UUID(), workspaceID: workspaceID, name: spec.name, kind: spec.kind.rawValue,
                                                        specJSON: try AlertingJSON.encode(spec), secretsJSON: try AlertingJSON.encode(secrets),
                                                        on: connection) else {
                throw ServiceError.conflict("a channel named '\(spec.name.prefix(100))' already exists")
            }
            try await audit.record(workspaceID: workspaceID, actor: actor, action: "notification_channel.created",
                                   resourceType: "notification_channel", resourceID: row.id.lowercased,
                                   details: ["kind": spec.kind.rawValue], request: metadata, on: connection)
            return try Self.view(row)
        }
    }

    public func list(in workspaceID: UUID, limit: Int?, cursor: String?) async throws -> Page<ChannelView> {
        try await paged(limit: limit, cursor: cursor, position: { TimeCursor(createdAt: $0.createdAt, id: $0.id) }) { page in
            try await database.inWorkspace(workspaceID) { try await repository.list(after: page.cursor, limit: page.limit, on: $0) }
        }.map(Self.view)
    }

    public func get(_ id: UUID, in workspaceID: UUID) async throws -> ChannelView {
        try await database.inWorkspace(workspaceID) { connection in
            guard let row = try await repository.find(id: id, on: connection) else { throw Self.notFound(id) }
            return try Self.view(row)
        }
    }

    /// Replaces the definition; secrets not given keep their stored values.
    public func replace(_ id: UUID, with spec: NotificationChannelSpec, secrets update: ChannelSecrets, in workspaceID: UUID,
                        actor: Actor, metadata: RequestMetadata) async throws -> ChannelView {
        try await database.inWorkspace(workspaceID) { connection in
            guard let (_, storedJSON) = try await repository.withSecrets(id: id, on: connection) else { throw Self.notFound(id) }
            // Unreadable stored secrets are an error, not "none": merging into empty secrets would
            // silently drop the ones the update leaves out (a webhook would go out unsigned).
            let stored = try StoredJSON.decode(ChannelSecrets.self, storedJSON, row: "notification_channels \(id.lowercased) secrets")
            let secrets = stored.merged(with: update)
            if let problem = spec.validate(secrets: secrets) { throw ServiceError(problem) }
            if try await repository.nameTaken(spec.name, except: id, on: connection) {
                throw ServiceError.conflict("a channel named '\(spec.name.prefix(100))' already exists")
            }
            guard let row = try await repository.replace(id: id, name: spec.name, kind: spec.kind.rawValue, specJSON: try AlertingJSON.encode(spec),
                                                         secretsJSON: try AlertingJSON.encode(secrets), on: connection) else {
                throw Self.notFound(id)
            }
            try await audit.record(workspaceID: workspaceID, actor: actor, action: "notification_channel.updated",
                                   resourceType: "notification_channel", resourceID: id.lowercased, request: metadata, on: connection)
            return try Self.view(row)
        }
    }

    /// Refused while a route or an escalation policy names the channel.
    public func delete(_ id: UUID, in workspaceID: UUID, actor: Actor, metadata: RequestMetadata) async throws {
        try await database.inWorkspace(workspaceID) { connection in
            for repository in referencing {
                if let user = try await repository.referencing(channelID: id, on: connection).first {
                    throw ServiceError.conflict("channel \(id.lowercased) is used by \(repository.table.rawValue) \(user.lowercased); remove it there first")
                }
            }
            guard try await repository.delete(id: id, on: connection) else { throw Self.notFound(id) }
            try await audit.record(workspaceID: workspaceID, actor: actor, action: "notification_channel.deleted",
                                   resourceType: "notification_channel", resourceID: id.lowercased, request: metadata, on: connection)
        }
    }

    static func notFound(_ id: UUID) -> ServiceError { .notFound("no channel \(id.lowercased)") }

    static func view(_ row: ChannelRepository.Row) throws -> ChannelView {
        ChannelView(id: row.id, spec: try StoredJSON.decode(NotificationChannelSpec.self, row.specJSON, row: "notification_channels \(row.id.lowercased)"),
                    secretsSet: row.secretNames,
                    createdAt: row.createdAt, updatedAt: row.updatedAt)
    }
}
