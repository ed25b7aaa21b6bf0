import Foundation

/// One data class in a `retention` report: the policy, the oldest row actually present, and
/// how many rows are older than the policy allows.
///
/// `compliant` is strict: any row past policy is a finding. The daily cleanup should leave 0; a
/// non-zero count right after cleanup means it is failing or lagging (partitions are dropped by
/// whole day, so a metrics count can lag by up to a day — the report shows the oldest row, so a
/// reader can tell a lag from a failure).
public struct RetentionCheck: Sendable, Equatable {
    public var dataClass: String
    public var policyDays: Int
    /// nil when the class has no rows.
    public var oldest: Date?
    public var rowsPastPolicy: Int

    public init(dataClass: String, policyDays: Int, oldest: Date?, rowsPastPolicy: Int) {
        self.dataClass = dataClass
        self.policyDays = policyDays
        self.oldest = oldest
        self.rowsPastPolicy = rowsPastPolicy
    }

    public var compliant: Bool { rowsPastPolicy == 0 }

    /// Rows older than this are past policy (what the counting query compares with).
    public static func cutoff(policyDays: Int, now: Date) -> Date {
        now.addingTimeInterval(-TimeInterval(policyDays) * 86_400)
    }

    /// Whole days between the oldest row and `now`; nil without rows.
    public func oldestAgeDays(now: Date) -> Int? {
        oldest.map { max(0, Int(floor(now.timeIntervalSince($0) / 86_400))) }
    }

    public static let columns = ["data_class", "policy_days", "oldest", "oldest_age_days", "rows_past_policy", "compliant"]

    public func row(now: Date) -> [String] {
        [dataClass, String(policyDays), oldest.map(ComplianceTime.format) ?? "", oldestAgeDays(now: now).map(String.init) ?? "",
         String(rowsPastPolicy), String(compliant)]
    }

    /// One check per data class of the workspace's settings, in the settings' order; classes
    /// without an observation are reported empty (no rows).
    public static func checks(retention: WorkspaceSettings.RetentionDays,
                              observed: [String: (oldest: Date?, rowsPastPolicy: Int)]) -> [RetentionCheck] {
        retention.all.map { dataClass, days in
            RetentionCheck(dataClass: dataClass, policyDays: days, oldest: observed[dataClass]?.oldest,
                           rowsPastPolicy: observed[dataClass]?.rowsPastPolicy ?? 0)
        }
    }

    public static func section(_ checks: [RetentionCheck], now: Date) -> ReportSection {
        ReportSection(table: "retention", columns: columns, rows: checks.map { $0.row(now: now) })
    }
}
