import Foundation

/// Compliance settings from the environment (see the README's configuration table).
public struct ComplianceConfiguration: Sendable {
    /// How long a finished report stays downloadable (`VIGIL_REPORT_TTL_HOURS`, default 7 days).
    public var reportTTL: TimeInterval = 7 * 24 * 3600
    /// Where report bytes go: nil keeps them in PostgreSQL (`VIGIL_REPORTS_DIR`).
    public var reportsDirectory: String?
    /// HMAC key of signed download links (`VIGIL_REPORT_LINK_KEY`, ≥ 16 bytes). When unset, each
    /// process makes a random one, so links work only on the API process that issued them.
    public var linkKey: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }
    /// Whether the worker generates the monthly retention and audit-readiness reports
    /// (`VIGIL_COMPLIANCE_MONTHLY`, default on).
    public var monthlyReports = true

    public init() {}
}
