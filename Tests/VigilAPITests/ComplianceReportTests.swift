import Crypto
import DeliveryTestFixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore

/// GDPR export and erasure across every table that can mention a subject, with a second
/// workspace holding the same identifiers; downloads (headers, Range), CSV injection, roles,
/// tenancy and signed links.
@Suite(.serialized) struct ComplianceReportTests {
    static let email = "jane.doe@example.com"
    static let customer = "c-4242"

    /// Puts the subject in metric tags (pseudonymised and as a custom pair), alerts (labels,
    /// annotations, message), a timeline note, the ledger and the audit log.
    func seed(_ api: TestAPI, _ client: some TestClientProtocol, receiver: HTTPReceiverPeer,
              ws: (id: String, slug: String, key: String)) async throws -> String {
        let patch = try await client.call(.patch, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key),
                                          json: #"{"settings":{"redaction":{"mode":"pseudonymize"}}}"#)
        #expect(patch.status == .ok, "\(patch.text)")
        let points = try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: """
            {"points":[{"name":"logins","kind":"counter","value":1,"tags":{"user":"\(Self.email)"}},
                       {"name":"orders","kind":"counter","value":3,"tags":{"customer_id":"\(Self.customer)"}},
                       {"name":"orders","kind":"counter","value":5,"tags":{"customer_id":"someone-else"}}]}
            """)
        #expect(points.status == .ok, "\(points.text)")
        _ = try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/hook-\(ws.slug)"))
        let alert = try await client.raiseAlert(ws.slug, key: ws.key, title: "=HYPERLINK(1) login failures",
                                                labels: ["user": Self.email],
                                                extra: #","message":"repeated failures for \#(Self.email)","annotations":{"owner":"\#(Self.email)"}"#).alert
        _ = try await client.raiseAlert(ws.slug, key: ws.key, title: "unrelated", labels: ["user": "bob@example.com"])
        let ack = try await client.call(.post, "/v1/workspaces/\(ws.slug)/alerts/\(alert.id)/acknowledge", auth: .bearer(ws.key),
                                        json: #"{"note":"called \#(Self.email)"}"#)
        #expect(ack.status == .ok)
        _ = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer", name: "key for \(Self.email)")
        try await AlertJobDrain(api).drain()
        return alert.id
    }

    func requestReport(_ client: some TestClientProtocol, _ ws: (id: String, slug: String, key: String), _ body: String) async throws -> String {
        let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/compliance/reports", auth: .bearer(ws.key), json: body)
        #expect(reply.status == .accepted, "\(reply.text)")
        #expect(reply.json["state"] as? String == "queued")
        return reply.json["id"] as? String ?? ""
    }

    func finished(_ api: TestAPI, _ client: some TestClientProtocol, _ ws: (id: String, slug: String, key: String), _ id: String) async throws -> [String: Any] {
        try await AlertJobDrain(api).drain()
        let reply = try await client.call(.get, "/v1/workspaces/\(ws.slug)/compliance/reports/\(id)", auth: .bearer(ws.key))
        #expect(reply.json["state"] as? String == "completed", "\(reply.text)")
        #expect(reply.json["percent"] as? Int == 100)
        return reply.json
    }

    func download(_ client: some TestClientProtocol, _ ws: (id: String, slug: String, key: String), _ id: String, query: String = "",
                  headers: HTTPFields = [:]) async throws -> Reply {
        try await client.call(.get, "/v1/workspaces/\(ws.slug)/compliance/reports/\(id)/download\(query)", auth: .bearer(ws.key), headers: headers)
    }

    func sections(_ reportJSON: String) throws -> [String: [String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(reportJSON.utf8)) as? [String: Any])
        let list = try #require(object["sections"] as? [[String: Any]], "\(reportJSON.prefix(300))")
        return Dictionary(uniqueKeysWithValues: list.map { ($0["table"] as? String ?? "", $0) })
    }

    @Test func exportFindsEverySeededRowAndNothingFromAnotherWorkspaceThenErasureLeavesNothing() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let a = try await client.createWorkspace()
            let b = try await client.createWorkspace()
            let alertA = try await seed(api, client, receiver: receiver, ws: a)
            let alertB = try await seed(api, client, receiver: receiver, ws: b)
            let subject = #"{"email":"\#(Self.email)","custom":{"customer_id":"\#(Self.customer)"}}"#

            let exportID = try await requestReport(client, a, #"{"kind":"subject_export","format":"json","subject":\#(subject)}"#)
            let export = try await finished(api, client, a, exportID)
            #expect(export["subject_fingerprint"] as? String != nil)
            let file = try await download(client, a, exportID)
            #expect(file.status == .ok)
            #expect(file.headers[.contentType] == "application/octet-stream", "one media type for every download")
            #expect(file.headers[.contentDisposition]?.contains(".json\"") == true)
            let found = try sections(file.text)
            #expect((found["metric_series"]?["matched"] as? Int) == 2, "the pseudonymised email tag and the customer pair")
            #expect((found["metric_points"]?["matched"] as? Int) == 2)
            #expect((found["metric_rollups"]?["matched"] as? Int ?? 0) >= 2)
            #expect((found["alerts"]?["matched"] as? Int) == 1)
            #expect((found["alert_events"]?["matched"] as? Int) == 1, "the acknowledgement note")
            #expect((found["notifications"]?["matched"] as? Int ?? 0) >= 1)
            #expect((found["audit_log"]?["matched"] as? Int ?? 0) >= 1, "the key named after the subject")
            #expect(file.text.contains(alertA))
            #expect(!file.text.contains(alertB), "nothing from the other workspace")
            #expect(!file.text.contains("someone-else") && !file.text.contains("bob@example.com"))

            // Erasure: nothing left, the chain still verifies, the certificate checks out.
            let erasureID = try await requestReport(client, a, #"{"kind":"subject_erasure","format":"json","subject":\#(subject)}"#)
            let erasure = try await finished(api, client, a, erasureID)
            let summary = try #require(erasure["summary"] as? [String: String])
            #expect(summary["total_remaining"] == "0", "\(summary)")
            #expect(Int(summary["total_found"] ?? "0")! >= 9)
            #expect(summary["audit_chain_intact"] == "true")
            let verify = try await client.call(.get, "/v1/workspaces/\(a.slug)/audit-log/verify", auth: .bearer(a.key))
            #expect(verify.json["intact"] as? Bool == true, "\(verify.text)")
            let certificate = try await download(client, a, erasureID, query: "?file=erasure-certificate.json")
            #expect(certificate.status == .ok)
            #expect(ErasureCertificate.verifyDocument(Array(certificate.text.utf8)))
            let parsed = try ErasureCertificate.parse(Array(certificate.text.utf8))
            #expect(parsed.checksum == summary["certificate_sha256"])
            #expect(parsed.verify())
            #expect(!certificate.text.contains(Self.email), "the certificate does not re-store the subject")
            // The alert stays (pseudonymised), the series are gone.
            let kept = try await client.call(.get, "/v1/workspaces/\(a.slug)/alerts/\(alertA)", auth: .bearer(a.key))
            #expect(kept.status == .ok)
            #expect(!kept.text.contains(Self.email) && kept.text.contains("erased:sha256:"))

            // A second erasure finds nothing; the export now finds nothing; B is untouched.
            let again = try await finished(api, client, a, try await requestReport(client, a, #"{"kind":"subject_erasure","subject":\#(subject)}"#))
            #expect((again["summary"] as? [String: String])?["total_found"] == "0")
            let reexport = try await finished(api, client, a, try await requestReport(client, a, #"{"kind":"subject_export","subject":\#(subject)}"#))
            #expect((reexport["summary"] as? [String: String])?["total_matched"] == "0", "\(reexport)")
            let exportB = try await finished(api, client, b, try await requestReport(client, b, #"{"kind":"subject_export","subject":\#(subject)}"#))
            #expect(Int((exportB["summary"] as? [String: String])?["total_matched"] ?? "0")! >= 9, "B keeps its data: \(exportB)")
        }
    }

    @Test func downloadHeadersRangesCSVInjectionRolesTenancyAndSignedLinks() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let a = try await client.createWorkspace()
            _ = try await seed(api, client, receiver: receiver, ws: a)
            let id = try await requestReport(client, a, #"{"kind":"subject_export","format":"zip","subject":{"email":"\#(Self.email)"}}"#)
            let report = try await finished(api, client, a, id)
            let files = try #require(report["files"] as? [[String: Any]])
            let size = try #require(files.first?["size"] as? Int)
            let sha = try #require(files.first?["sha256"] as? String)

            let whole = try await client.call(.get, "/v1/workspaces/\(a.slug)/compliance/reports/\(id)/download", auth: .bearer(a.key))
            #expect(whole.status == .ok)
            #expect(whole.headers[.contentType] == "application/octet-stream")
            #expect(whole.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"vigil-") == true, "\(whole.headers)")
            #expect(whole.headers[.contentDisposition]?.contains(".zip\"") == true)
            #expect(whole.headers[.contentLength] == String(size))
            #expect(whole.headers[.eTag] == "\"\(sha)\"")
            let body = whole.bytes
            #expect(body.count == size)
            let digest = Data(SHA256.hash(data: body))
            #expect(digest.map { String(format: "%02x", $0) }.joined() == sha)
            #expect(whole.headers[HTTPField.Name("Repr-Digest")!] == "sha-256=:\(digest.base64EncodedString()):")
            #expect(whole.headers[.acceptRanges] == "bytes")
            // CSV injection: the alert title starting with '=' is neutralised in the CSV.
            #expect(whole.text.contains("'=HYPERLINK"), "the formula is escaped")

            let first = try await download(client, a, id, headers: [.range: "bytes=0-9"])
            #expect(first.status == .partialContent)
            #expect(first.headers[.contentRange] == "bytes 0-9/\(size)")
            #expect(first.headers[.contentLength] == "10")
            #expect(first.bytes == Array(body.prefix(10)))
            let tail = try await download(client, a, id, headers: [.range: "bytes=-4"])
            #expect(tail.status == .partialContent)
            #expect(tail.headers[.contentRange] == "bytes \(size - 4)-\(size - 1)/\(size)")
            #expect(tail.bytes == Array(body.suffix(4)))
            let beyond = try await download(client, a, id, headers: [.range: "bytes=\(size + 10)-"])
            beyond.expectErrorEnvelope(.rangeNotSatisfiable, "invalid_request")
            #expect(beyond.headers[.contentRange] == "bytes */\(size)")
            let audit = try await client.call(.get, "/v1/workspaces/\(a.slug)/audit-log", auth: .bearer(a.key))
            #expect(audit.text.components(separatedBy: "compliance_report.downloaded").count - 1 >= 4, "every download is audited")

            // Roles and tenancy.
            let viewer = try await client.createKey(workspace: a.slug, adminKey: a.key, role: "member")
            try await client.call(.get, "/v1/workspaces/\(a.slug)/compliance/reports/\(id)/download", auth: .bearer(viewer.key))
                .expectErrorEnvelope(.forbidden, "forbidden")
            try await client.call(.post, "/v1/workspaces/\(a.slug)/compliance/reports", auth: .bearer(viewer.key), json: #"{"kind":"retention"}"#)
                .expectErrorEnvelope(.forbidden, "forbidden")
            let b = try await client.createWorkspace()
            try await client.call(.get, "/v1/workspaces/\(b.slug)/compliance/reports/\(id)", auth: .bearer(b.key)).expectErrorEnvelope(.notFound, "not_found")
            try await client.call(.get, "/v1/workspaces/\(b.slug)/compliance/reports/\(id)/download", auth: .bearer(b.key))
                .expectErrorEnvelope(.notFound, "not_found")
            // Bad requests.
            for bad in [#"{"kind":"subject_export"}"#, #"{"kind":"subject_export","subject":{}}"#, #"{"kind":"retention","subject":{"email":"x@y.z"}}"#,
                        #"{"kind":"subject_export","subject":{"email":"not an email"}}"#, #"{"kind":"everything"}"#] {
                try await client.call(.post, "/v1/workspaces/\(a.slug)/compliance/reports", auth: .bearer(a.key), json: bad)
                    .expectErrorEnvelope(.badRequest, "invalid_request")
            }

            // Signed links: work without a key, then expire; a tampered link is refused.
            let link = try await client.call(.post, "/v1/workspaces/\(a.slug)/compliance/reports/\(id)/download-link", auth: .bearer(a.key),
                                             json: #"{"expires_in_seconds":2}"#)
            #expect(link.status == .created, "\(link.text)")
            #expect(link.headers[.cacheControl] == "no-store", "the answer holds a bearer-like URL")
            let url = try #require(link.json["url"] as? String)
            let viaLink = try await client.call(.get, url)
            #expect(viaLink.status == .ok)
            #expect(viaLink.headers[.cacheControl] == "no-store" && viaLink.headers[.xContentTypeOptions] == "nosniff")
            #expect(viaLink.headers[.eTag] == "\"\(sha)\"")
            let ranged = try await client.call(.get, url, headers: [.range: "bytes=0-9"])
            #expect(ranged.status == .partialContent)
            var tampered = Array(url)
            tampered[tampered.count - 3] = tampered[tampered.count - 3] == "A" ? "B" : "A"
            let refused = try await client.call(.get, String(tampered))
            refused.expectErrorEnvelope(.notFound, "not_found")
            #expect(refused.headers[.xContentTypeOptions] == "nosniff", "error answers carry it too")
            api.clock.advance(by: 3)  // past the link's 2 s lifetime, without waiting for it
            try await client.call(.get, url).expectErrorEnvelope(.notFound, "not_found")
        }
    }

    @Test func retentionAndAuditReadinessReports() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            _ = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer", name: "idle")
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer("vgl_wrong")).expectErrorEnvelope(.unauthorized, "unauthenticated")
            let retention = try await finished(api, client, ws, try await requestReport(client, ws, #"{"kind":"retention","format":"csv"}"#))
            #expect((retention["summary"] as? [String: String])?["compliant"] == "true")
            let csv = try await download(client, ws, retention["id"] as? String ?? "")
            #expect(csv.headers[.contentType] == "application/octet-stream")
            #expect(csv.headers[.contentDisposition]?.contains(".csv\"") == true)
            #expect(csv.headers[.cacheControl] == "no-store", "report files are never kept by caches")
            #expect(csv.text.contains("metrics") && csv.text.contains("audit_log") && csv.text.contains("\r\n"))
            let readiness = try await finished(api, client, ws, try await requestReport(client, ws, #"{"kind":"audit_readiness","format":"json"}"#))
            #expect((readiness["summary"] as? [String: String])?["audit_chain_intact"] == "true")
            let json = try await download(client, ws, readiness["id"] as? String ?? "")
            let found = try sections(json.text)
            #expect(Set(found.keys).isSuperset(of: ["audit_chain", "admin_actions", "failed_auth", "pii_redaction"]), "\(found.keys)")
            #expect(json.text.contains("idle"), "the key inventory lists every key")
            #expect(json.text.contains("api_key.create"))
        }
    }
}
