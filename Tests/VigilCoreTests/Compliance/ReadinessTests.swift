import Foundation
import Testing
@testable import VigilCore

struct ReadinessTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static func daysAgo(_ days: Double) -> Date { now.addingTimeInterval(-days * 86_400) }

    // (created days ago, last used days ago, stale)
    static let keys: [(Double, Double?, Bool)] = [
        (10, nil, false),
        (90, nil, false),
        (90.01, nil, true),
        (400, nil, true),
        (200, 10, false),
        (200, 90, false),
        (200, 91, true),
        (100, 120, true),  // last use recorded before creation (clock skew): creation counts
        (0, 0, false),
    ]

    @Test(arguments: keys.indices)
    func staleUnusedKeys(index: Int) {
        let (created, lastUsed, stale) = Self.keys[index]
        #expect(KeyInventoryRules.isStaleUnused(createdAt: Self.daysAgo(created), lastUsedAt: lastUsed.map(Self.daysAgo), now: Self.now) == stale)
    }

    static func key(_ name: String, created: Double, lastUsed: Double? = nil, revoked: Double? = nil, expires: Double? = nil) -> ApiKey {
        ApiKey(workspaceID: UUID(), id: UUID(), name: name, prefix: "vgl_\(name)", role: .viewer, createdBy: "admin",
               createdAt: daysAgo(created), lastUsedAt: lastUsed.map(daysAgo), expiresAt: expires.map(daysAgo), revokedAt: revoked.map(daysAgo))
    }

    @Test func inventoryEntries() {
        let dormant = KeyInventoryRules.entry(for: Self.key("ci", created: 200, lastUsed: 120), now: Self.now)
        #expect(dormant.status == .active && dormant.staleUnused && dormant.ageDays == 200 && dormant.daysSinceLastUse == 120)
        let revoked = KeyInventoryRules.entry(for: Self.key("old", created: 400, revoked: 10), now: Self.now)
        #expect(revoked.status == .revoked && !revoked.staleUnused && revoked.daysSinceLastUse == nil)
        let expired = KeyInventoryRules.entry(for: Self.key("tmp", created: 400, expires: 1), now: Self.now)
        #expect(expired.status == .expired && !expired.staleUnused)
        let future = KeyInventoryRules.entry(for: Self.key("soon", created: 400, expires: -5), now: Self.now)
        #expect(future.status == .active && future.staleUnused)
    }

    @Test func inventorySection() {
        let section = KeyInventoryRules.section(keys: [Self.key("b", created: 1), Self.key("a", created: 100)], now: Self.now)
        #expect(section.table == "key_inventory")
        #expect(section.columns == KeyInventoryRules.Entry.columns)
        #expect(section.rows.map { $0[1] } == ["a", "b"])
        #expect(section.rows[0][5...] == ["100", "", "", "true"])
    }

    // (policy days, rows past policy, compliant)
    static let retention: [(Int, Int, Bool)] = [(90, 0, true), (90, 1, false), (30, 12_000, false)]

    @Test(arguments: retention.indices)
    func retentionCompliance(index: Int) {
        let (days, past, compliant) = Self.retention[index]
        #expect(RetentionCheck(dataClass: "metrics", policyDays: days, oldest: nil, rowsPastPolicy: past).compliant == compliant)
    }

    @Test func retentionChecksFollowTheSettings() {
        var retention = WorkspaceSettings.RetentionDays()
        retention.alerts = 7
        let checks = RetentionCheck.checks(retention: retention, observed: [
            "metrics": (Self.daysAgo(95.5), 3), "alerts": (Self.daysAgo(2), 0),
        ])
        #expect(checks.map(\.dataClass) == ["metrics", "alerts", "security_events", "notifications", "audit_log", "kpis"])
        #expect(checks.map(\.policyDays) == [90, 7, 90, 30, 365, 400])
        #expect(checks.map(\.compliant) == [false, true, true, true, true, true])
        #expect(checks[0].oldestAgeDays(now: Self.now) == 95)
        #expect(checks[2].oldest == nil && checks[2].oldestAgeDays(now: Self.now) == nil)
        #expect(RetentionCheck.cutoff(policyDays: 90, now: Self.now) == Self.daysAgo(90))
        let section = RetentionCheck.section(checks, now: Self.now)
        #expect(section.rows[0] == ["metrics", "90", ComplianceTime.format(Self.daysAgo(95.5)), "95", "3", "false"])
        #expect(section.rows[2] == ["security_events", "90", "", "", "0", "true"])
    }
}
