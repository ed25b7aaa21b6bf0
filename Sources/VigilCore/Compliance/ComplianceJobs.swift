import Foundation

/// The compliance job kinds: report generation (enqueued when a report is requested), hourly
/// expiry of old reports, and the monthly reports of every workspace (both platform jobs).
public enum ComplianceJobs {
    /// Generate one requested report. Stored as `{"report_id": "<lowercase uuid>"}`.
    public struct GenerateArgs: JobArgs, Equatable {
        public static let kind = "compliance.generate"
        public static let defaultOptions = JobOptions(maxAttempts: 3, timeout: .seconds(1800), maxRunning: 3)

        public var reportID: UUID

        public init(reportID: UUID) { self.reportID = reportID }

        enum CodingKeys: String, CodingKey { case reportID = "report_id" }

        // Written lowercase, as report ids are everywhere else (JSONEncoder would uppercase a UUID).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(reportID.uuidString.lowercased(), forKey: .reportID)
        }
    }

    /// Remove reports past their expiry.
    public struct ExpireArgs: JobArgs, Equatable {
        public static let kind = "compliance.expire"
        public static let defaultOptions = JobOptions(maxAttempts: 3, timeout: .seconds(600))
        public init() {}
    }

    /// Request the monthly retention and audit-readiness reports of every workspace.
    public struct MonthlyArgs: JobArgs, Equatable {
        public static let kind = "compliance.monthly"
        public static let defaultOptions = JobOptions(maxAttempts: 3, timeout: .seconds(600))
        public init() {}
    }
}
