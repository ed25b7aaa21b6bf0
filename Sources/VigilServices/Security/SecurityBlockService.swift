import Foundation
import VigilCore
import VigilPrimitives
import VigilRepositories

/// What `GET …/security/ips/{address}` shows.
public struct SecurityIPView: Sendable {
    public var address: String
    /// The score now (decayed since it was stored).
    public var score: ThreatScore
    public var events: Int
    public var lastEventAt: Date?
    public var block: BlockState?
    /// Blocks of wider networks that cover the address.
    public var coveringBlocks: [BlocklistEntry]
    public var exemptUntil: Date?
    public var recentEvents: [StoredSecurityEvent]
    public var history: [SecurityBlockLogEntry]
}

/// The blocklist as an edge fetches it, with the validators of its two forms.
public struct Blocklist: Sendable {
    public enum Form: Sendable { case json, text }

    public var entries: [BlocklistEntry]
    public var generatedAt: Date
    /// The quoted SHA-256 of `text`.
    public var textTag: String
    /// The quoted SHA-256 of the entries (network, expiry, source, reason): the JSON form's
    /// tag, which does not change with `generated_at`.
    public var jsonTag: String

    /// One network a line, in network order: what nginx `deny`, HAProxy ACL files and
    /// `ipset restore` scripts include.
    public var text: String { Self.text(entries) }

    public static func text(_ entries: [BlocklistEntry]) -> String { entries.map { $0.network + "\n" }.joined() }

    public func tag(_ form: Form) -> String { form == .text ? textTag : jsonTag }
}

/// Scores, manual blocks and unblocks, and the blocklist.
public struct SecurityBlockService: Sendable {
    let database: Database
    let clock: WallClock
    let addresses = SecurityIPRepository()
    let events = SecurityEventRepository()
    let workspaces = WorkspaceRepository()
    let blocklistState = BlocklistStateRepository()

    /// Blocks in force a workspace may hold; manual blocks past it are refused (409).
    public static let maxBlocks = 10_000
    public static let reasonLength = 1...500
    public static let historyLimit = 20

    public init(database: Database, clock: WallClock) {
        self.database = database
        self.clock = clock
    }

    /// An address's (or a blocked network's) score, block and history. An address nothing is
    /// known about has score 0 and no history: asking is not an error.
    public func view(_ text: String, in workspace: Workspace) async throws -> SecurityIPView {
        try await view(try Self.parse(text), in: workspace)
    }

    func view(_ address: SecurityAddress, in workspace: Workspace) async throws -> SecurityIPView {
        let privacy = try await SecurityEventPrivacy.make(for: workspace, database: database, workspaces: workspaces)
        let now = clock.now(), halfLife = workspace.settings.security.halfLifeMinutes
        let network = address.description
        return try await database.inWorkspace(workspace.id) { connection in
            let state = try await addresses.find(network, on: connection)
            let covering = try await addresses.covering(network, at: now, on: connection)
                .filter { $0.network != network }
                .compactMap { s in s.block.map { BlocklistEntry(network: s.network, until: $0.until, source: $0.source, reason: $0.reason) } }
            // Events name single addresses; a network's page shows its block and history only.
            let recent = address.isSingleAddress
                ? try await events.list(SecurityEventFilter(sourceIP: state?.sourceKey ?? privacy.sourceKey(for: address)),
                                        after: nil, limit: Self.historyLimit, on: connection)
                : []
            return SecurityIPView(address: network,
                                  score: (state?.score ?? .zero(at: now)).decayed(to: now, halfLifeMinutes: halfLife),
                                  events: state?.events ?? 0, lastEventAt: state?.lastEventAt,
                                  block: state?.block.flatMap { $0.isActive(at: now) ? $0 : nil }, coveringBlocks: covering,
                                  exemptUntil: state?.exemptUntil.flatMap { $0 > now ? $0 : nil }, recentEvents: recent,
                                  history: try await addresses.history(network, limit: Self.historyLimit, on: connection))
        }
    }

    /// Blocks an address or network by hand until `minutes` from now (the workspace's block
    /// duration when nil), replacing any block in force.
    public func block(_ text: String, reason: String, minutes: Int?, actor: String, in workspace: Workspace) async throws -> SecurityIPView {
        let address = try Self.parse(text)
        try Self.check(reason: reason)
        let minutes = minutes ?? workspace.settings.security.blockMinutes
        guard SecuritySettings.blockMinutesRange.contains(minutes) else {
            throw ServiceError.invalid(field: "minutes", message: "minutes must be between 1 and 525600 (a year)")
        }
        let now = clock.now(), until = now.addingTimeInterval(Double(minutes) * 60)
        try await database.inWorkspace(workspace.id) { connection in
            let existing = try await addresses.find(address.description, on: connection)
            if !(existing?.block?.isActive(at: now) ?? false),
               try await addresses.blockedCount(at: now, on: connection) >= Self.maxBlocks {
                throw ServiceError.conflict("the workspace already holds \(Self.maxBlocks) blocks; unblock some first")
            }
            _ = try await addresses.block(address.description, until: until, source: .manual, reason: reason, at: now, on: connection)
            try await addresses.log(SecurityBlockLogEntry(id: UUID(), network: address.description, action: .block, source: .manual,
                                                          reason: reason, until: until, actor: actor, at: now), on: connection)
        }
        return try await view(address, in: workspace)
    }

    /// Lifts a block; `exemptMinutes` keeps the address from being blocked automatically again
    /// for that long. 404 when nothing is stored for the address or network.
    public func unblock(_ text: String, reason: String, exemptMinutes: Int?, actor: String, in workspace: Workspace) async throws -> SecurityIPView {
        let address = try Self.parse(text)
        try Self.check(reason: reason)
        if let exemptMinutes, !SecuritySettings.blockMinutesRange.contains(exemptMinutes) {
            throw ServiceError.invalid(field: "exempt_minutes", message: "exempt_minutes must be between 1 and 525600 (a year)")
        }
        let now = clock.now()
        try await database.inWorkspace(workspace.id) { connection in
            guard try await addresses.unblock(address.description, exemptUntil: exemptMinutes.map { now.addingTimeInterval(Double($0) * 60) },
                                              at: now, on: connection) != nil else {
                throw ServiceError.notFound("nothing is known about \(address.description) in this workspace")
            }
            try await addresses.log(SecurityBlockLogEntry(id: UUID(), network: address.description, action: .unblock, source: .manual,
                                                          reason: reason, until: nil, actor: actor, at: now), on: connection)
        }
        return try await view(address, in: workspace)
    }

    /// The most entries the blocklist lists (manual blocks are capped at `maxBlocks`; automatic
    /// ones are bounded by the ingest budget).
    public static let maxListed = 50_000

    public func blocklist(in workspace: Workspace) async throws -> Blocklist {
        let now = clock.now()
        return try await database.inWorkspace(workspace.id) { connection in
            let digests = try await digests(at: now, on: connection)
            return Blocklist(entries: try await addresses.blocklist(at: now, limit: Self.maxListed, on: connection), generatedAt: now,
                             textTag: "\"\(digests.text)\"", jsonTag: "\"\(digests.entries)\"")
        }
    }

    /// The current tag of one form without reading the list: what an `If-None-Match` poll
    /// costs — one row read while no block has changed or expired since the last computation.
    public func blocklistTag(_ form: Blocklist.Form, in workspace: Workspace) async throws -> String {
        let now = clock.now()
        let current = try await database.inWorkspace(workspace.id) { connection -> BlocklistDigests in
            try await digests(at: now, on: connection)
        }
        return "\"\(form == .text ? current.text : current.entries)\""
    }

    /// The stored digests when still current, else computed over every listed block and stored
    /// for the next poll.
    private func digests(at now: Date, on connection: Transaction) async throws -> BlocklistDigests {
        if let stored = try await blocklistState.validDigests(at: now, on: connection) { return stored }
        let version = try await blocklistState.version(on: connection)
        let computed = try await addresses.blocklistDigests(at: now, limit: Self.maxListed, on: connection)
        try await blocklistState.store(computed, version: version, on: connection)
        return computed
    }

    static func parse(_ text: String) throws -> SecurityAddress {
        guard let address = SecurityAddress(text) else {
            throw ServiceError.invalid(field: "address", message: "address must be an IPv4 or IPv6 address or CIDR block")
        }
        if !address.isBlockable {
            throw ServiceError.invalid(field: "address", message: "a network is at most a /\(SecurityAddress.minimumIPv4Prefix) (IPv4) or /\(SecurityAddress.minimumIPv6Prefix) (IPv6)")
        }
        return address
    }

    static func check(reason: String) throws {
        guard reasonLength.contains(reason.unicodeScalars.count), !reason.unicodeScalars.contains("\u{0}") else {
            throw ServiceError.invalid(field: "reason", message: "reason must be 1-500 characters")
        }
    }
}
