import Foundation

public struct Workspace: Sendable, Equatable {
    public var id: UUID
    public var slug: String
    public var name: String
    public var settings: WorkspaceSettings
    public var createdAt: Date

    public init(id: UUID, slug: String, name: String, settings: WorkspaceSettings, createdAt: Date) {
        self.id = id
        self.slug = slug
        self.name = name
        self.settings = settings
        self.createdAt = createdAt
    }
}

public struct ApiKey: Sendable, Equatable {
    public var workspaceID: UUID
    public var id: UUID
    public var name: String
    public var prefix: String
    public var role: ApiKeyRole
    public var createdBy: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var expiresAt: Date?
    public var revokedAt: Date?

    public init(workspaceID: UUID, id: UUID, name: String, prefix: String, role: ApiKeyRole, createdBy: String,
                createdAt: Date, lastUsedAt: Date? = nil, expiresAt: Date? = nil, revokedAt: Date? = nil) {
        self.workspaceID = workspaceID
        self.id = id
        self.name = name
        self.prefix = prefix
        self.role = role
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}

/// Who performed an action, as recorded in the audit log.
public enum Actor: Sendable, Equatable {
    case apiKey(UUID)
    case admin
    case anonymous
    case system(String)

    public var type: String {
        switch self {
        case .apiKey: return "api_key"
        case .admin: return "admin"
        case .anonymous: return "anonymous"
        case .system: return "system"
        }
    }

    public var id: String {
        switch self {
        case .apiKey(let id): return id.uuidString.lowercased()
        case .admin: return "admin"
        case .anonymous: return "anonymous"
        case .system(let name): return name
        }
    }
}

extension Date {
    /// Whole microseconds since 1970 — PostgreSQL's timestamp resolution, used wherever a
    /// time must round-trip exactly (cursors, audit hashes).
    public var microsecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1_000_000).rounded()) }

    public init(microsecondsSince1970 micros: Int64) {
        self.init(timeIntervalSince1970: Double(micros) / 1_000_000)
    }
}
