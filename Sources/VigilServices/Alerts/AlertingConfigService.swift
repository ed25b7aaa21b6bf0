import Foundation
import VigilCore
import VigilRepositories

/// A configuration document as stored.
public struct StoredDocument<Value: Sendable>: Sendable {
    public var id: UUID
    public var value: Value
    public var createdAt: Date
    public var updatedAt: Date
}

/// Create, list, show, replace and delete for one kind of alerting document (routes,
/// escalation policies, silences, inhibition rules). Every change is audited.
public struct AlertingDocuments<Value: Codable & Sendable>: Sendable {
    let database: Database
    let audit: AuditTrail
    let repository: AlertingConfigRepository
    let resourceType: String
    /// Checks that need the database (referenced channels exist); runs in the write's transaction.
    let check: @Sendable (Value, Transaction) async throws -> Void
    let timeRange: @Sendable (Value) -> AlertingConfigRepository.TimeRange?
    /// The per-workspace cap on stored documents of this kind (`WorkspaceLimits`).
    var quota: ConfigObjectQuota? = nil

    public func create(_ value: Value, in workspaceID: UUID, actor: Actor, metadata: RequestMetadata) async throws -> StoredDocument<Value> {
        try await database.inWorkspace(workspaceID) { connection in
            try await quota?.reserve(workspaceID: workspaceID, on: connection)
            try await check(value, connection)
            let document = try await repository.insert(id: UUID(), workspaceID: workspaceID, specJSON: try AlertingJSON.encode(value),
                                                       range: timeRange(value), on: connection)
            try await audit.record(workspaceID: workspaceID, actor: actor, action: "\(resourceType).created", resourceType: resourceType,
                                   resourceID: document.id.lowercased, request: metadata, on: connection)
            return try stored(document)
        }
    }

    public func list(in workspaceID: UUID, limit: Int?, cursor: String?) async throws -> Page<StoredDocument<Value>> {
        try await paged(limit: limit, cursor: cursor, position: { TimeCursor(createdAt: $0.createdAt, id: $0.id) }) { page in
            try await database.inWorkspace(workspaceID) { try await repository.list(after: page.cursor, limit: page.limit, on: $0) }
        }.map(stored)
    }

    public func get(_ id: UUID, in workspaceID: UUID) async throws -> StoredDocument<Value> {
        try await database.inWorkspace(workspaceID) { connection in
            guard let document = try await repository.find(id: id, on: connection) else { throw notFound(id) }
            return try stored(document)
        }
    }

    public func replace(_ id: UUID, with value: Value, in workspaceID: UUID, actor: Actor, metadata: RequestMetadata) async throws -> StoredDocument<Value> {
        try await database.inWorkspace(workspaceID) { connection in
            try await check(value, connection)
            guard let document = try await repository.replace(id: id, specJSON: try AlertingJSON.encode(value), range: timeRange(value),
                                                              on: connection) else { throw notFound(id) }
            try await audit.record(workspaceID: workspaceID, actor: actor, action: "\(resourceType).updated", resourceType: resourceType,
                                   resourceID: id.lowercased, request: metadata, on: connection)
            return try stored(document)
        }
    }

    /// Reads, transforms and writes back in one transaction (expiring a silence).
    public func modify(_ id: UUID, in workspaceID: UUID, action: String, actor: Actor, metadata: RequestMetadata,
                       _ transform: @Sendable (Value) -> Value) async throws -> StoredDocument<Value> {
        try await database.inWorkspace(workspaceID) { connection in
            guard let current = try await repository.find(id: id, forUpdate: true, on: connection) else { throw notFound(id) }
            let value = transform(try StoredJSON.decode(Value.self, current.specJSON, row: "\(resourceType) \(id.lowercased)"))
            guard let document = try await repository.replace(id: id, specJSON: try AlertingJSON.encode(value), range: timeRange(value),
                                                              on: connection) else { throw notFound(id) }
            try await audit.record(workspaceID: workspaceID, actor: actor, action: "\(resourceType).\(action)", resourceType: resourceType,
                                   resourceID: id.lowercased, request: metadata, on: connection)
            return try stored(document)
        }
    }

    public func delete(_ id: UUID, in workspaceID: UUID, actor: Actor, metadata: RequestMetadata) async throws {
        try await database.inWorkspace(workspaceID) { connection in
            guard try await repository.delete(id: id, on: connection) else { throw notFound(id) }
            try await audit.record(workspaceID: workspaceID, actor: actor, action: "\(resourceType).deleted", resourceType: resourceType,
                                   resourceID: id.lowercased, request: metadata, on: connection)
        }
    }

    private func notFound(_ id: UUID) -> ServiceError {
        .notFound("no \(resourceType.replacingOccurrences(of: "_", with: " ")) \(id.lowercased)")
    }

    func stored(_ document: AlertingConfigRepository.Document) throws -> StoredDocument<Value> {
        StoredDocument(id: document.id, value: try StoredJSON.decode(Value.self, document.specJSON, row: "\(resourceType) \(document.id.lowercased)"),
                       createdAt: document.createdAt, updatedAt: document.updatedAt)
    }
}

/// The alerting configuration of a workspace.
public struct AlertingConfigService: Sendable {
    public let routes: AlertingDocuments<NotificationRoute>
    public let escalationPolicies: AlertingDocuments<EscalationPolicyDocument>
    public let silences: AlertingDocuments<Silence>
    public let inhibitRules: AlertingDocuments<InhibitRule>
    public let channels: ChannelService

    /// `smtpCABundles`: the names an email channel's `smtp_ca_bundle` may use; `secretKeyring`
    /// seals channel secrets (nil: channels with secrets cannot be written).
    public init(database: Database, clock: WallClock, smtpCABundles: Set<String> = [], secretKeyring: SecretKeyring? = nil,
                limits: WorkspaceLimitPolicy) {
        let audit = AuditTrail(clock: clock)
        let channelCheck = ChannelReferences()
        routes = AlertingDocuments(database: database, audit: audit, repository: .init(.routes), resourceType: "notification_route",
                                   check: { route, connection in
                                       if let problem = route.validate() { throw ServiceError(problem) }
                                       try await channelCheck.requireExisting(route.channelIDs, field: "channel_ids", on: connection)
                                   },
                                   timeRange: { _ in nil }, quota: ConfigObjectQuota(.route, limits))
        escalationPolicies = AlertingDocuments(
            database: database, audit: audit, repository: .init(.escalationPolicies), resourceType: "escalation_policy",
            check: { document, connection in
                if document.name.isEmpty || document.name.unicodeScalars.count > DisplayName.maxLength {  // as the spec counts
                    throw ServiceError.invalid(field: "name", message: "name must be 1 to \(DisplayName.maxLength) characters")
                }
                if let problem = document.policy.validate() { throw ServiceError(problem) }
                try await channelCheck.requireExisting(document.policy.levels.flatMap(\.channelIDs), field: "levels", on: connection)
            },
            timeRange: { _ in nil }, quota: ConfigObjectQuota(.escalationPolicy, limits))
        silences = AlertingDocuments(database: database, audit: audit, repository: .init(.silences), resourceType: "silence",
                                     check: { _, _ in }, timeRange: { .init(startsAt: $0.startsAt, endsAt: $0.endsAt) },
                                     quota: ConfigObjectQuota(.silence, limits))
        inhibitRules = AlertingDocuments(database: database, audit: audit, repository: .init(.inhibitRules), resourceType: "inhibit_rule",
                                         check: { _, _ in }, timeRange: { _ in nil }, quota: ConfigObjectQuota(.inhibitRule, limits))
        channels = ChannelService(database: database, audit: audit, smtpCABundles: smtpCABundles,
                                  secretStore: ChannelSecretStore(keyring: secretKeyring), quota: ConfigObjectQuota(.channel, limits))
    }
}

/// An escalation policy with its name, as stored.
public struct EscalationPolicyDocument: Codable, Sendable, Equatable {
    public var name: String
    public var policy: EscalationPolicy

    public init(name: String, policy: EscalationPolicy) {
        self.name = name
        self.policy = policy
    }
}

struct ChannelReferences: Sendable {
    let channels = ChannelRepository()

    func requireExisting(_ ids: [String], field: String, on connection: Transaction) async throws {
        for id in Set(ids).sorted() {
            guard let uuid = UUID(uuidString: id), try await channels.find(id: uuid, on: connection) != nil else {
                throw ServiceError.invalid(field: field, message: "no channel \(id.prefix(64)) in this workspace")
            }
        }
    }
}
