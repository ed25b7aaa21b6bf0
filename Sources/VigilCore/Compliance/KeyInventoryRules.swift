import Foundation

/// Audit-readiness rules for the API key inventory.
///
/// "Stale unused": a key not used in the last 90 days that is itself older than 90 days — never
/// used since creation, or dormant since its last use. A live credential nobody uses is pure risk
/// (it can leak, nobody would notice it being abused), so the report lists it for revocation.
/// Boundaries: exactly 90 days is not yet stale. Revoked and expired keys are reported with their
/// status but never flagged (they no longer grant access).
public enum KeyInventoryRules {
    public static let staleAfterDays = 90
    static let day: TimeInterval = 86_400

    public static func isStaleUnused(createdAt: Date, lastUsedAt: Date?, now: Date) -> Bool {
        let threshold = TimeInterval(staleAfterDays) * day
        let lastActivity = max(lastUsedAt ?? createdAt, createdAt)
        return now.timeIntervalSince(lastActivity) > threshold
    }

    public enum KeyStatus: String, Sendable, Codable {
        case active, revoked, expired
    }

    /// One row of the key inventory section.
    public struct Entry: Sendable, Equatable {
        public var keyID: UUID
        public var name: String
        public var prefix: String
        public var role: ApiKeyRole
        public var status: KeyStatus
        public var ageDays: Int
        public var lastUsedAt: Date?
        /// Whole days since last use; nil when never used.
        public var daysSinceLastUse: Int?
        public var staleUnused: Bool

        public static let columns = ["key_id", "name", "prefix", "role", "status", "age_days", "last_used_at",
                                     "days_since_last_use", "stale_unused"]

        public var row: [String] {
            [keyID.uuidString.lowercased(), name, prefix, role.rawValue, status.rawValue, String(ageDays),
             lastUsedAt.map(ComplianceTime.format) ?? "", daysSinceLastUse.map(String.init) ?? "", String(staleUnused)]
        }
    }

    public static func entry(for key: ApiKey, now: Date) -> Entry {
        let status: KeyStatus
        if let revokedAt = key.revokedAt, revokedAt <= now {
            status = .revoked
        } else if let expiresAt = key.expiresAt, expiresAt <= now {
            status = .expired
        } else {
            status = .active
        }
        return Entry(keyID: key.id, name: key.name, prefix: key.prefix, role: key.role, status: status,
                     ageDays: wholeDays(from: key.createdAt, to: now), lastUsedAt: key.lastUsedAt,
                     daysSinceLastUse: key.lastUsedAt.map { wholeDays(from: $0, to: now) },
                     staleUnused: status == .active && isStaleUnused(createdAt: key.createdAt, lastUsedAt: key.lastUsedAt, now: now))
    }

    /// The inventory as a report section, sorted by key name then id.
    public static func section(keys: [ApiKey], now: Date) -> ReportSection {
        let entries = keys.map { entry(for: $0, now: now) }
            .sorted { ($0.name, $0.keyID.uuidString) < ($1.name, $1.keyID.uuidString) }
        return ReportSection(table: "key_inventory", columns: Entry.columns, rows: entries.map(\.row))
    }

    static func wholeDays(from start: Date, to end: Date) -> Int {
        max(0, Int(floor(end.timeIntervalSince(start) / day)))
    }
}
