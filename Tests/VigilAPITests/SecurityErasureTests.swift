import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilServices

/// GDPR subject export and erasure cover the security-event store: the subject's events are
/// listed, then deleted with the certificate's counts, the audit chain still verifies, and
/// another workspace's events about the same person stay.
struct SecurityErasureTests {
    @Test func subjectExportAndErasureCoverSecurityEvents() async throws {
        try await TestAPI.run { api, client in
            let a = try await client.createWorkspace(), b = try await client.createWorkspace()
            let theirs = [#"{"kind":"auth_failure","source_ip":"198.51.100.5","user_ref":"u-4242"}"#,
                          #"{"kind":"csrf_violation","source_ip":"198.51.100.6","details":{"account":"u-4242"}}"#]
            let others = [#"{"kind":"auth_failure","source_ip":"198.51.100.7","user_ref":"u-9999"}"#]
            for ws in [a, b] {
                let stored = try await client.call(.post, "/v1/workspaces/\(ws.slug)/security/events", auth: .bearer(ws.key),
                                                   json: SecurityAPITests.events(theirs + others))
                #expect(stored.status == .accepted, "\(stored.text)")
            }
            let reports = ComplianceReportTests()
            let subject = #"{"user_id":"u-4242"}"#
            let exportID = try await reports.requestReport(client, a, #"{"kind":"subject_export","format":"json","subject":\#(subject)}"#)
            _ = try await reports.finished(api, client, a, exportID)
            let file = try await reports.download(client, a, exportID)
            let section = try #require(try reports.sections(file.text)["security_events"], "\(file.text.prefix(300))")
            #expect(section["matched"] as? Int == 2, "\(section)")
            #expect(file.text.contains("198.51.100.6") && !file.text.contains("u-9999"))

            let erasureID = try await reports.requestReport(client, a, #"{"kind":"subject_erasure","format":"json","subject":\#(subject)}"#)
            let erasure = try await reports.finished(api, client, a, erasureID)
            let summary = try #require(erasure["summary"] as? [String: String])
            #expect(summary["total_remaining"] == "0" && summary["audit_chain_intact"] == "true", "\(summary)")
            let certificate = try await reports.download(client, a, erasureID, query: "?file=erasure-certificate.json")
            let parsed = try ErasureCertificate.parse(Array(certificate.text.utf8))
            let row = try #require(parsed.tables.first { $0.table == "security_events" }, "\(certificate.text.prefix(400))")
            #expect(row.found == 2 && row.deleted == 2 && row.remaining == 0)

            let left = try await client.call(.get, "/v1/workspaces/\(a.slug)/security/events", auth: .bearer(a.key))
            #expect((left.json["items"] as? [[String: Any]])?.compactMap { $0["user_ref"] as? String } == ["u-9999"], "\(left.text)")
            let verify = try await client.call(.get, "/v1/workspaces/\(a.slug)/audit-log/verify", auth: .bearer(a.key))
            #expect(verify.json["intact"] as? Bool == true)
            let untouched = try await client.call(.get, "/v1/workspaces/\(b.slug)/security/events", auth: .bearer(b.key))
            #expect((untouched.json["items"] as? [Any])?.count == 3, "another workspace keeps its events")
        }
    }
}
