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
    /// The operator's CA bundle names (`VIGIL_SMTP_CA_BUNDLES`) an email channel may pick.
    var smtpCABundles: Set<String> = []
    /// Seals secrets on every write (`VIGIL_SECRETS_KEY`).
    var secretStore = ChannelSecretStore(keyring: nil)
    /// The per-workspace cap on stored channels (`WorkspaceLimits`).
    var quota: ConfigObjectQuota? = nil

    public func create(_ spec: NotificationChannelSpec, secrets: ChannelSecrets, in workspaceID: UUID, actor: Actor,
                       metadata: RequestMetadata) async throws -> ChannelView {
        if let problem = spec.validate(secrets: secrets) ?? spec.validateCABundle(known: smtpCABundles) { throw ServiceError(problem) }
        let id = UUID()
        let sealed = try secretStore.seal(secrets, workspaceID: workspaceID, channelID: id)
        return try await database.inWorkspace(workspaceID) { connection in
            try await quota?.reserve(workspaceID: workspaceID, on: connection)
            guard let row = try await repository.insert(id: id, workspaceID: workspaceID, name: spec.name, kind: spec.kind.rawValue,
                                                        specJSON: try AlertingJSON.encode(spec), sealedSecretsJSON: sealed,
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

    /// Replaces the definition; secrets not given keep their stored values, unless the
    /// destination changes: then the stored ones are dropped and the request must re-enter them.
    public func replace(_ id: UUID, with spec: NotificationChannelSpec, secrets update: ChannelSecrets, in workspaceID: UUID,
                        actor: Actor, metadata: RequestMetadata) async throws -> ChannelView {
        try await database.inWorkspace(workspaceID) { connection in
            guard let (row, stored) = try await repository.withSecrets(id: id, on: connection) else { throw Self.notFound(id) }
            let secrets = try mergedSecrets(spec: spec, update: update, row: row, stored: stored, workspaceID: workspaceID)
            if let problem = spec.validate(secrets: secrets) ?? spec.validateCABundle(known: smtpCABundles) { throw ServiceError(problem) }
            if try await repository.nameTaken(spec.name, except: id, on: connection) {
                throw ServiceError.conflict("a channel named '\(spec.name.prefix(100))' already exists")
            }
            guard let row = try await repository.replace(id: id, name: spec.name, kind: spec.kind.rawValue, specJSON: try AlertingJSON.encode(spec),
                                                         sealedSecretsJSON: try secretStore.seal(secrets, workspaceID: workspaceID, channelID: id),
                                                         on: connection) else {
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

    /// The secrets an update ends with. Stored secrets follow the channel only while its
    /// destination stays: repointing it (url, SMTP host/port/security, kind) without re-entering
    /// them is refused, so an admin cannot have the stored secret sent to a server they choose.
    private func mergedSecrets(spec: NotificationChannelSpec, update: ChannelSecrets, row: ChannelRepository.Row,
                               stored: ChannelRepository.StoredSecrets, workspaceID: UUID) throws -> ChannelSecrets {
        let current = try StoredJSON.decode(NotificationChannelSpec.self, row.specJSON, row: "notification_channels \(row.id.lowercased)")
        if let field = spec.destinationChange(from: current) {
            if update.namesSet.isEmpty && !row.secretNames.isEmpty {
                throw ServiceError.invalid(field: field, message: "changing \(field) requires re-entering secrets")
            }
            return update
        }
        // Unreadable stored secrets are an error, not "none": merging into empty secrets would
        // silently drop the ones the update leaves out (a webhook would go out unsigned).
        return try secretStore.open(stored, workspaceID: workspaceID, channelID: row.id).merged(with: update)
    }

    static func notFound(_ id: UUID) -> ServiceError { .notFound("no channel \(id.lowercased)") }

    static func view(_ row: ChannelRepository.Row) throws -> ChannelView {
        ChannelView(id: row.id, spec: try StoredJSON.decode(NotificationChannelSpec.self, row.specJSON, row: "notification_channels \(row.id.lowercased)"),
                    secretsSet: row.secretNames,
                    createdAt: row.createdAt, updatedAt: row.updatedAt)
    }
}
