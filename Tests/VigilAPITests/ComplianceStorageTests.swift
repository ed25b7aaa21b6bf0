import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
@testable import VigilRepositories
import VigilCore
import VigilServices
import VigilTestFixtures

/// Report storage and housekeeping: the filesystem store (`VIGIL_REPORTS_DIR`) streams ranges
/// like the database store, bundles are valid zip files, and expired reports are removed.
struct ComplianceStorageTests {
    @Test func directoryStorageStreamsRangesAndDeletes() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-reports-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let storage = DirectoryReportStorage(directory: dir)
        let bytes = (0..<600_000).map { UInt8($0 % 251) }
        let report = UUID(), workspace = UUID()
        try await TestAPI.run { api, _ in
            try await api.services.database.platform { connection in
                try await storage.write(bytes, name: "r.json", reportID: report, workspaceID: workspace, on: connection)
            }
        }
        for range: ClosedRange<Int64> in [0...599_999, 10...20, 262_140...262_150, 599_990...599_999] {
            var collected: [UInt8] = []
            for try await piece in ReportByteStream(storage: storage, name: "r.json", reportID: report, workspaceID: workspace, range: range) {
                collected += piece
            }
            #expect(collected == Array(bytes[Int(range.lowerBound)...Int(range.upperBound)]), "\(range)")
        }
        try await storage.delete(reportID: report, workspaceID: workspace)
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/\(workspace.uuidString.lowercased())/\(report.uuidString.lowercased())"))
    }

    @Test func bundlesAreValidZipFilesAndExpiredReportsAreRemoved() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/compliance/reports", auth: .bearer(ws.key),
                                              json: #"{"kind":"audit_readiness","format":"zip"}"#)
            let id = try #require(reply.json["id"] as? String)
            try await AlertJobDrain(api).drain()
            let zip = try await client.call(.get, "/v1/workspaces/\(ws.slug)/compliance/reports/\(id)/download", auth: .bearer(ws.key))
            #expect(zip.status == .ok)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(id).zip")
            try Data(zip.bytes).write(to: path)
            defer { try? FileManager.default.removeItem(at: path) }
            // Python's zipfile checks every entry's CRC and lists the names.
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            check.arguments = ["python3", "-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(' '.join(sorted(z.namelist())))",
                               path.path]
            let output = Pipe()
            check.standardOutput = output
            try check.run()
            check.waitUntilExit()
            let names = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(check.terminationStatus == 0)
            #expect(names.contains("manifest.json") && names.contains("report.json") && names.contains("csv/audit_chain.csv"), "\(names)")

            // Expiry: a report past its time is removed by the hourly job.
            let owner = try await api.db.ownerConnection()
            try await owner.execute("UPDATE compliance_reports SET expires_at = now() - interval '1 minute' WHERE id = \(UUID(uuidString: id)!)")
            await owner.close()
            let maintenance = ComplianceMaintenance(database: api.services.database, service: api.services.compliance, configuration: ComplianceConfiguration())
            #expect(try await maintenance.expireReports(now: Date()) == 1)
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/compliance/reports/\(id)", auth: .bearer(ws.key)).expectErrorEnvelope(.notFound, "not_found")
            // The monthly job requests the retention, audit-readiness and SLA reports of the workspace.
            #expect(try await maintenance.requestMonthlyReports() >= 3)
            let list = try await client.call(.get, "/v1/workspaces/\(ws.slug)/compliance/reports", auth: .bearer(ws.key))
            let kinds = (list.json["items"] as? [[String: Any]] ?? []).filter { $0["scheduled"] as? Bool == true }.compactMap { $0["kind"] as? String }
            #expect(Set(kinds) == ["retention", "audit_readiness", "sla"])
        }
    }
}
