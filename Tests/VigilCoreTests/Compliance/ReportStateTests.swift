import Foundation
import Testing
@testable import VigilCore

struct ReportStateTests {
    // Every (from, to) pair and whether it is allowed.
    static let transitions: [(ReportState, ReportState, Bool)] = [
        (.queued, .queued, false), (.queued, .running, true), (.queued, .completed, false), (.queued, .failed, true),
        (.running, .queued, true), (.running, .running, true), (.running, .completed, true), (.running, .failed, true),
        (.completed, .queued, false), (.completed, .running, false), (.completed, .completed, false), (.completed, .failed, false),
        (.failed, .queued, false), (.failed, .running, false), (.failed, .completed, false), (.failed, .failed, false),
    ]

    @Test(arguments: transitions.indices)
    func transitionTable(index: Int) {
        let (from, to, allowed) = Self.transitions[index]
        #expect(from.canTransition(to: to) == allowed)
    }

    @Test func aReportRunsToCompletion() throws {
        var status = try ReportStatus.queued.started()
        status = try status.progressed(to: 40)
        #expect(throws: ReportStatus.Failure.percentDecreased(from: 40, to: 30)) { try status.progressed(to: 30) }
        #expect(throws: ReportStatus.Failure.percentOutOfRange(101)) { try status.progressed(to: 101) }
        status = try status.completed()
        #expect(status.state == .completed && status.percent == 100 && status.error == nil)
        #expect(throws: ReportStatus.Failure.illegalTransition(from: .completed, to: .running)) { try status.started() }
        #expect(throws: ReportStatus.Failure.illegalTransition(from: .completed, to: .failed)) { try status.failed("late") }
    }

    @Test func failuresCarryTheirError() throws {
        let failed = try ReportStatus.queued.started().progressed(to: 10).failed("connection reset")
        #expect(failed.state == .failed && failed.error == "connection reset" && failed.percent == 10)
        #expect(try ReportStatus.queued.failed("").error == "unknown error")
        #expect(try ReportStatus.queued.failed(String(repeating: "x", count: 5000)).error?.count == ReportStatus.maxErrorLength)
    }

    @Test func aFailedAttemptRequeuesWithProgressReset() throws {
        let status = try ReportStatus.queued.started().progressed(to: 70).requeued()
        #expect(status == .queued)
        #expect(throws: ReportStatus.Failure.illegalTransition(from: .queued, to: .queued)) { try status.requeued() }
        #expect(throws: ReportStatus.Failure.illegalTransition(from: .queued, to: .running)) { try status.progressed(to: 5) }
        #expect(throws: ReportStatus.Failure.illegalTransition(from: .running, to: .running)) {
            try ReportStatus.queued.started().started()
        }
    }

    // (state, percent, error, valid)
    static let stored: [(ReportState, Int, String?, Bool)] = [
        (.queued, 0, nil, true), (.running, 55, nil, true), (.completed, 100, nil, true), (.failed, 20, "boom", true),
        (.completed, 99, nil, false), (.failed, 20, nil, false), (.running, 5, "boom", false), (.running, -1, nil, false),
    ]

    @Test(arguments: stored.indices)
    func restoringChecksInvariants(index: Int) {
        let (state, percent, error, valid) = Self.stored[index]
        let restored = try? ReportStatus.restore(state: state, percent: percent, error: error)
        #expect((restored != nil) == valid)
    }

    @Test func kinds() throws {
        #expect(ReportKind.allCases.map(\.rawValue) == ["subject_export", "subject_erasure", "retention", "audit_readiness", "sla"])
        #expect(ReportKind.allCases.filter(\.requiresSubject) == [.subjectExport, .subjectErasure])
        #expect(ReportKind.allCases.allSatisfy { $0.requiredRole == .admin })
        #expect(!ReportKind.subjectErasure.showsSubjectIdentifiers)
        #expect(try JSONDecoder().decode(ReportKind.self, from: Data(#""audit_readiness""#.utf8)) == .auditReadiness)
        #expect(ReportFormat(rawValue: "pdf") == nil)
    }

    // (format, sections, bundle?, content type, entry paths)
    static let layouts: [(ReportFormat, [String], Bool, String, [String])] = [
        (.json, ["alerts", "audit_log"], false, "application/json", ["report.json"]),
        (.csv, ["retention"], false, "text/csv; charset=utf-8", ["retention.csv"]),
        (.csv, ["alerts", "audit_log"], true, "application/zip", ["manifest.json", "alerts.csv", "audit_log.csv"]),
        (.zip, ["alerts"], true, "application/zip", ["manifest.json", "report.json", "csv/alerts.csv"]),
        (.zip, ["../etc"], true, "application/zip", ["manifest.json", "report.json", "csv/___etc.csv"]),
    ]

    @Test(arguments: layouts.indices)
    func bundleLayouts(index: Int) {
        let (format, sections, bundle, contentType, paths) = Self.layouts[index]
        let layout = ReportBundleLayout.make(format: format, sectionTables: sections)
        #expect(layout.isBundle == bundle)
        #expect(layout.contentType == contentType)
        #expect(layout.entries.map(\.path) == paths)
    }

    @Test func downloadFileName() {
        let layout = ReportBundleLayout.make(format: .zip, sectionTables: ["a"])
        let id = UUID(uuidString: "1A2B3C4D-0000-0000-0000-000000000000")!
        #expect(layout.fileName(workspaceSlug: "acme", kind: .subjectExport, reportID: id,
                                createdAt: Date(timeIntervalSince1970: 1_800_000_000))
            == "vigil-acme-subject-export-2027-01-15-1a2b3c4d.zip")
    }
}
