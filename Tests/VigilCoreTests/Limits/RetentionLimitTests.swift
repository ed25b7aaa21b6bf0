import Testing
import VigilCore

/// Retention above the deployment's maximum is the operator's decision: a workspace may not
/// raise a class past it, but a class already above it (set before, or under an override since
/// withdrawn) may stay or come down, so an unrelated settings change never fails on it.
struct RetentionLimitTests {
    static func days(metrics: Int = 90, auditLog: Int = 365, kpis: Int = 400) -> WorkspaceSettings.RetentionDays {
        var days = WorkspaceSettings.RetentionDays()
        days.metrics = metrics
        days.auditLog = auditLog
        days.kpis = kpis
        return days
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var max: Int
        var current: WorkspaceSettings.RetentionDays
        var proposed: WorkspaceSettings.RetentionDays
        var refusedField: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "the defaults fit the default maximum", max: 400, current: days(), proposed: days(), refusedField: nil),
        Case(name: "raising a class past the maximum", max: 400, current: days(), proposed: days(metrics: 401),
             refusedField: "settings.retention_days.metrics"),
        Case(name: "up to the maximum exactly", max: 400, current: days(), proposed: days(metrics: 400), refusedField: nil),
        Case(name: "an override allows ten years", max: 3650, current: days(), proposed: days(metrics: 3650), refusedField: nil),
        Case(name: "a class already above may stay", max: 400, current: days(metrics: 3000), proposed: days(metrics: 3000), refusedField: nil),
        Case(name: "a class already above may come down, even if still above", max: 400, current: days(metrics: 3000),
             proposed: days(metrics: 2000), refusedField: nil),
        Case(name: "a class already above may not go higher", max: 400, current: days(metrics: 3000), proposed: days(metrics: 3001),
             refusedField: "settings.retention_days.metrics"),
        Case(name: "a lowered maximum binds the next raise of another class", max: 100, current: days(),
             proposed: days(auditLog: 366), refusedField: "settings.retention_days.audit_log"),
    ]

    @Test(arguments: cases)
    func admitsOrNamesTheClass(_ c: Case) {
        let failure = WorkspaceLimits(maxRetentionDays: c.max).admitsRetention(c.proposed, replacing: c.current)
        #expect(failure?.field == c.refusedField)
        if failure != nil { #expect(failure?.message.contains("at most \(c.max) days") == true) }
    }

    @Test func theLimitIsOverridableByName() throws {
        let overrides = try WorkspaceLimitOverrides(validating: ["retention_days": 3650])
        #expect(WorkspaceLimits().overridden(by: overrides).maxRetentionDays == 3650)
        #expect(WorkspaceLimits().maxRetentionDays == WorkspaceLimits.defaultMaxRetentionDays)
        #expect(throws: ValidationFailure.self) { try WorkspaceLimitOverrides(validating: ["retention_days": 3651]) }
    }
}
