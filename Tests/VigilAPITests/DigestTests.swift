import DeliveryTestFixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilServices

/// Digests: sent once per period to a real SMTP server (aiosmtpd) and a webhook receiver, with
/// readable HTML (inline SVG sparklines, everything escaped); preview; auth.
@Suite(.serialized) struct DigestTests {
    @Test func aDigestIsSentOncePerPeriodToEmailAndWebhook() async throws {
        let receiver = HTTPReceiverPeer()
        let smtp = SMTPPeer()
        _ = try await receiver.start()
        let smtpPort = try await smtp.start(username: "digest", password: "digest-pass-1")
        defer { receiver.stop(); smtp.stop() }
        try await TestAPI.run(smtpCABundles: ["test-relay": smtp.certFile]) { api, client in
            let ws = try await client.createWorkspace()
            // Something to report (raised before the channels exist, so only the digest is delivered).
            _ = try await client.raiseAlert(ws.slug, key: ws.key, title: "Checkout <slow>")
            let hook = try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/digest"))
            let mail = try await client.postJSON("/v1/workspaces/\(ws.slug)/channels", key: ws.key, """
                {"name":"managers","kind":"email","to":["boss@example.com"],"from":"vigil@example.com","smtp_host":"127.0.0.1",
                 "smtp_port":\(smtpPort),"smtp_username":"digest","smtp_ca_bundle":"test-relay","secrets":{"smtp_password":"digest-pass-1"}}
                """).id
            let kpi = try await client.call(.put, "/v1/workspaces/\(ws.slug)/kpis/logins", auth: .bearer(ws.key),
                                            json: #"{"name":"Logins <script>alert(1)</script>","aggregation":"count","direction":"higher_is_better"}"#)
            #expect(kpi.status == .created)
            let schedule = try await client.call(.put, "/v1/workspaces/\(ws.slug)/digest-schedule", auth: .bearer(ws.key), json: """
                {"frequency":"daily","local_hour":0,"time_zone":"UTC","channel_ids":["\(hook)","\(mail)"]}
                """)
            #expect(schedule.status == .ok, "\(schedule.text)")

            let workspace = try #require(try await api.services.workspaces.find(reference: ws.slug))
            // Two workers' dispatchers racing: one job, one digest.
            async let first = api.services.digests.dispatch(in: workspace)
            async let second = api.services.digests.dispatch(in: workspace)
            let dispatched = try await [first, second]
            #expect(dispatched.filter { $0 }.count == 1, "\(dispatched)")
            let ran = try await AlertJobDrain(api).drain()
            #expect(ran.filter { $0 == KPIJobs.DigestSendArgs.kind }.count == 1)
            #expect(try await api.services.digests.dispatch(in: workspace) == false, "already sent for this period")

            let messages = try await smtp.messages()
            #expect(messages.count == 1)
            let email = try #require(messages.first)
            #expect(email.rcptTos == ["boss@example.com"])
            #expect(email.data.contains("text/html") && email.data.contains("text/plain"))
            let posts = try await receiver.requests().filter { $0.path == "/digest" }
            #expect(posts.count == 1)
            let json = try #require(posts.first?.jsonObject)
            #expect(json["version"] as? Int == 1)
            #expect(json["alerts"] is [String: Any], "\(json)")
            #expect(posts.first?.headers["x-vigil-signature"]?.hasPrefix("v1=") == true)
            let sent = try await client.call(.get, "/v1/workspaces/\(ws.slug)/digests", auth: .bearer(ws.key))
            #expect((sent.json["items"] as? [[String: Any]])?.count == 1)
            #expect((sent.json["items"] as? [[String: Any]])?.first?["channels"] as? Int == 2)
        }
    }

    @Test func thePreviewRendersReadableHTMLTextAndJSON() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            _ = try await client.raiseAlert(ws.slug, key: ws.key, title: "Checkout <slow>")
            _ = try await client.call(.put, "/v1/workspaces/\(ws.slug)/kpis/logins", auth: .bearer(ws.key),
                                      json: #"{"name":"Logins <script>alert(1)</script>","aggregation":"count","direction":"higher_is_better"}"#)
            // The period ending with today: today's alert and KPI are in it.
            let today = ISO8601DateFormatter().string(from: Date()).prefix(10)
            let html = try await client.call(.get, "/v1/workspaces/\(ws.slug)/digests/preview?period=\(today)", auth: .bearer(ws.key))
            #expect(html.status == .ok, "\(html.text)")
            #expect(html.headers[.contentType]?.hasPrefix("text/html") == true)
            // Tenant text ends up in this page: no script may run, nothing may load, nothing may frame it.
            #expect(html.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'") == true)
            #expect(html.headers[.xContentTypeOptions] == "nosniff")
            #expect(html.text.hasPrefix("<!DOCTYPE html>"))
            #expect(html.text.contains("<table") && html.text.contains("<svg") && html.text.contains("<polyline"))
            #expect(!html.text.contains("<script>"), "the KPI name is escaped")
            #expect(html.text.contains("&lt;script&gt;"))
            #expect(!html.text.contains("http://") && !html.text.contains("https://"), "no external resources")
            let opens = html.text.components(separatedBy: "<table").count - 1
            #expect(opens == html.text.components(separatedBy: "</table>").count - 1, "balanced tables")
            let text = try await client.call(.get, "/v1/workspaces/\(ws.slug)/digests/preview?format=text", auth: .bearer(ws.key))
            #expect(text.status == .ok && text.text.contains("Logins"))
            #expect(text.headers[.contentSecurityPolicy] == nil && text.headers[.xContentTypeOptions] == "nosniff")
            let json = try await client.call(.get, "/v1/workspaces/\(ws.slug)/digests/preview?format=json", auth: .bearer(ws.key))
            #expect(json.status == .ok && json.json["version"] as? Int == 1, "\(json.text.prefix(200))")
            #expect(json.headers[.contentType]?.hasPrefix("application/json") == true, "\(json.headers)")
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/digests/preview?period=yesterday", auth: .bearer(ws.key))
                .expectErrorEnvelope(.badRequest, "invalid_request")
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/digest-schedule", auth: .bearer(ws.key)).expectErrorEnvelope(.notFound, "not_found")
            try await client.call(.put, "/v1/workspaces/\(ws.slug)/digest-schedule", auth: .bearer(ws.key),
                                  json: #"{"frequency":"weekly","local_hour":25,"time_zone":"Mars/Olympus","channel_ids":[]}"#)
                .expectErrorEnvelope(.badRequest, "invalid_request")
            let viewer = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer")
            try await client.call(.put, "/v1/workspaces/\(ws.slug)/digest-schedule", auth: .bearer(viewer.key),
                                  json: #"{"frequency":"daily","local_hour":8,"time_zone":"UTC","channel_ids":["3f1c0e9a-0000-4000-8000-000000000000"]}"#)
                .expectErrorEnvelope(.forbidden, "forbidden")
            _ = api
        }
    }
}
