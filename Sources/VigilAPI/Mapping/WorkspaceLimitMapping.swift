import Foundation
import VigilCore
import VigilServices

/// Workspace limits to and from their JSON shapes (by `WorkspaceLimitName`).

extension Components.Schemas.WorkspaceLimitOverrides {
    /// The names set in the body; values are range-checked by the core.
    var byName: [String: Int] {
        let all: [(WorkspaceLimitName, Int64?)] = [
            (.series, series), (.configObjects, configObjects), (.concurrentReports, concurrentReports), (.queryCost, queryCost),
            (.ingestPointsPerMinute, ingestPointsPerMinute), (.kpiEventsPerMinute, kpiEventsPerMinute),
            (.requestsPerMinuteIngest, requestsPerMinuteIngest), (.requestsPerMinuteViewer, requestsPerMinuteViewer),
            (.requestsPerMinuteMember, requestsPerMinuteMember), (.requestsPerMinuteAdmin, requestsPerMinuteAdmin),
            (.retentionDays, retentionDays),
        ]
        var result: [String: Int] = [:]
        for case let (name, value?) in all { result[name.rawValue] = Int(clamping: value) }
        return result
    }

    init(_ overrides: WorkspaceLimitOverrides) {
        func value(_ name: WorkspaceLimitName) -> Int64? { overrides.values[name].map(Int64.init) }
        self.init(series: value(.series), configObjects: value(.configObjects), concurrentReports: value(.concurrentReports),
                  queryCost: value(.queryCost), ingestPointsPerMinute: value(.ingestPointsPerMinute),
                  kpiEventsPerMinute: value(.kpiEventsPerMinute), requestsPerMinuteIngest: value(.requestsPerMinuteIngest),
                  requestsPerMinuteViewer: value(.requestsPerMinuteViewer), requestsPerMinuteMember: value(.requestsPerMinuteMember),
                  requestsPerMinuteAdmin: value(.requestsPerMinuteAdmin), retentionDays: value(.retentionDays))
    }
}

extension Components.Schemas.WorkspaceLimitValues {
    init(_ limits: WorkspaceLimits) {
        func value(_ name: WorkspaceLimitName) -> Int64 { Int64(limits[name]) }
        self.init(series: value(.series), configObjects: value(.configObjects), concurrentReports: value(.concurrentReports),
                  queryCost: value(.queryCost), ingestPointsPerMinute: value(.ingestPointsPerMinute),
                  kpiEventsPerMinute: value(.kpiEventsPerMinute), requestsPerMinuteIngest: value(.requestsPerMinuteIngest),
                  requestsPerMinuteViewer: value(.requestsPerMinuteViewer), requestsPerMinuteMember: value(.requestsPerMinuteMember),
                  requestsPerMinuteAdmin: value(.requestsPerMinuteAdmin), retentionDays: value(.retentionDays))
    }
}

extension Components.Schemas.WorkspaceLimits {
    init(_ report: WorkspaceLimitReport) {
        func used(_ meter: UsageMeter) -> Int64 { Int64(report.granted[meter] ?? 0) }
        self.init(effective: .init(report.effective), overrides: .init(report.overrides), windowStart: report.windowStart,
                  used: .init(requestsIngest: used(.requests(.ingest)), requestsViewer: used(.requests(.viewer)),
                              requestsMember: used(.requests(.member)), requestsAdmin: used(.requests(.admin)),
                              ingestPoints: used(.ingestPoints), kpiEvents: used(.kpiEvents)))
    }
}
