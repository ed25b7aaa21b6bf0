import DeliveryTestFixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilServices

/// Every channel kind against real local receivers (an HTTP receiver for webhook, Slack and
/// PagerDuty; aiosmtpd with STARTTLS and AUTH PLAIN for email), retries, the ledger, and
/// exactly-once delivery across a crashed attempt.
@Suite(.serialized) struct AlertDeliveryTests {
    static let secret = "whsec-0123456789abcdef"

    @Test func everyChannelKindDeliversAndClosingEventsAreMirrored() async throws {
        let receiver = HTTPReceiverPeer()
        let smtp = SMTPPeer()
        _ = try await receiver.start()
        let smtpPort = try await smtp.start(username: "vigil", password: "smtp-pass-123")
        defer { receiver.stop(); smtp.stop() }
        try await TestAPI.run(smtpCABundles: ["test-relay": smtp.certFile]) { api, client in
            let ws = try await client.createWorkspace()
            let uri = "/v1/workspaces/\(ws.slug)/channels"
            _ = try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/hook"), secret: Self.secret)
            _ = try await client.postJSON(uri, key: ws.key, """
                {"name":"chat","kind":"slack","secrets":{"webhook_url":"\(receiver.url(path: "/slack"))"}}
                """)
            _ = try await client.postJSON(uri, key: ws.key, """
                {"name":"pager","kind":"pagerduty","url":"\(receiver.url(path: "/pd"))","secrets":{"routing_key":"R0UTINGKEY"}}
                """)
            _ = try await client.postJSON(uri, key: ws.key, """
                {"name":"mail","kind":"email","to":["oncall@example.com"],"from":"vigil@example.com","smtp_host":"127.0.0.1",
                 "smtp_port":\(smtpPort),"smtp_username":"vigil","smtp_security":"starttls","smtp_ca_bundle":"test-relay",
                 "secrets":{"smtp_password":"smtp-pass-123"}}
                """)
            let alert = try await client.raiseAlert(ws.slug, key: ws.key, title: "DB <down>", severity: "critical",
                                                    labels: ["alertname": "DBDown", "team": "db"]).alert
            let fingerprint = try #require(alert["fingerprint"] as? String)
            let drain = AlertJobDrain(api)
            #expect(try await drain.drain().filter { $0 == AlertJobs.NotifyArgs.kind }.count == 4)

            let requests = try await receiver.requests()
            let hook = try #require(requests.first { $0.path == "/hook" })
            #expect(WebhookSignature.verify(secret: Self.secret, timestampHeader: hook.headers["x-vigil-timestamp"],
                                            signatureHeader: hook.headers["x-vigil-signature"], body: hook.body, now: Date()) == .valid)
            #expect(WebhookSignature.verify(secret: "another-secret-value", timestampHeader: hook.headers["x-vigil-timestamp"],
                                            signatureHeader: hook.headers["x-vigil-signature"], body: hook.body, now: Date()) == .mismatch)
            #expect(hook.headers["idempotency-key"]?.isEmpty == false)
            #expect(hook.jsonObject?["event"] as? String == "triggered")
            #expect((hook.jsonObject?["alert"] as? [String: Any])?["fingerprint"] as? String == fingerprint)

            let slack = try #require(requests.first { $0.path == "/slack" })
            #expect(slack.jsonObject?["text"] is String)
            #expect(slack.jsonObject?["attachments"] is [Any])

            let trigger = try #require(requests.first { $0.path == "/pd" }?.jsonObject)
            #expect(trigger["routing_key"] as? String == "R0UTINGKEY")
            #expect(trigger["event_action"] as? String == "trigger")
            #expect(trigger["dedup_key"] as? String == fingerprint)
            #expect((trigger["payload"] as? [String: Any])?["severity"] as? String == "critical")

            let mail = try #require(try await smtp.messages().first)
            #expect(mail.authUser == "vigil")
            #expect(mail.rcptTos == ["oncall@example.com"])
            #expect(mail.data.contains("text/plain") && mail.data.contains("text/html"))
            #expect(mail.data.contains("X-Vigil-Idempotency-Key"))
            #expect(mail.data.contains("&lt;down&gt;"), "the HTML part escapes the title")

            let ledger = try await client.ledger(ws.slug, key: ws.key, alertID: alert.id)
            #expect(ledger.count == 4)
            #expect(ledger.allSatisfy { $0["status"] as? String == "sent" && ($0["payload_sha256"] as? String)?.count == 64 }, "\(ledger)")
            #expect(Set(ledger.compactMap { $0["channel_kind"] as? String }) == ["webhook", "slack", "pagerduty", "email"])
            // The worker's /metrics counts each delivery by channel kind and outcome.
            let exposition = drain.metrics.exposition()
            for kind in ["webhook", "slack", "pagerduty", "email"] {
                #expect(exposition.contains(#"vigil_notifications_total{channel_kind="\#(kind)",outcome="sent"} 1"#), "\(exposition)")
            }

            // Acknowledge and resolve reach the same channels; PagerDuty mirrors both.
            let base = "/v1/workspaces/\(ws.slug)/alerts/\(alert.id)"
            #expect(try await client.call(.post, "\(base)/acknowledge", auth: .bearer(ws.key)).status == .ok)
            #expect(try await client.call(.post, "\(base)/resolve", auth: .bearer(ws.key)).status == .ok)
            try await drain.drain()
            let pd = try await receiver.requests().filter { $0.path == "/pd" }.compactMap(\.jsonObject)
            #expect(pd.map { $0["event_action"] as? String } == ["trigger", "acknowledge", "resolve"])
            #expect(pd.allSatisfy { $0["dedup_key"] as? String == fingerprint })
            let hooks = try await receiver.requests().filter { $0.path == "/hook" }.compactMap { $0.jsonObject?["event"] as? String }
            #expect(hooks == ["triggered", "acknowledged", "resolved"])
            #expect(try await smtp.messages().count == 3)
            #expect(try await client.ledger(ws.slug, key: ws.key, alertID: alert.id).count == 12)
        }
    }

    @Test func failedDeliveriesRetryAndTheLedgerShowsEveryAttempt() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let flaky = try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/fail/2/hook"))
            let alert = try await client.raiseAlert(ws.slug, key: ws.key).alert
            try await AlertJobDrain(api).drain(advancingTime: true)
            let attempts = try await client.ledger(ws.slug, key: ws.key, alertID: alert.id).filter { $0["channel_id"] as? String == flaky }
            #expect(attempts.map { $0["status"] as? String } == ["failed", "failed", "sent"], "\(attempts)")
            #expect(attempts.map { $0["status_code"] as? Int } == [500, 500, 200])
            #expect(attempts.map { $0["attempt"] as? Int } == [1, 2, 3])
            #expect(Set(attempts.compactMap { $0["idempotency_key"] as? String }).count == 1, "one delivery, three attempts")
            #expect(try await receiver.requests().filter { $0.path == "/fail/2/hook" }.count == 3)
        }
    }

    @Test func aHungReceiverTimesOutWithoutHoldingOthersBack() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let hung = try await client.postJSON("/v1/workspaces/\(ws.slug)/channels", key: ws.key, """
                {"name":"slowpoke","kind":"webhook","url":"\(receiver.url(path: "/hang/10/x"))","timeout_seconds":1,
                 "secrets":{"signing_secret":"0123456789abcdef0"}}
                """).id
            let healthy = try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/ok"))
            let alert = try await client.raiseAlert(ws.slug, key: ws.key).alert
            try await AlertJobDrain(api).drain(rounds: 1)        // one attempt each; no retries
            let ledger = try await client.ledger(ws.slug, key: ws.key, alertID: alert.id)
            let hungRow = try #require(ledger.first { $0["channel_id"] as? String == hung })
            #expect(hungRow["status"] as? String == "failed")
            #expect((hungRow["error"] as? String)?.contains("timed out") == true, "\(hungRow)")
            #expect(ledger.contains { $0["channel_id"] as? String == healthy && $0["status"] as? String == "sent" })
        }
    }

    /// A worker crashed after the receiver got the notification and the ledger recorded it,
    /// before the job was marked done: the rescued job runs again and must not send again.
    @Test func aRetryAfterACrashNeverSendsTwice() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            _ = try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/once"))
            let alert = try await client.raiseAlert(ws.slug, key: ws.key).alert
            let drain = AlertJobDrain(api)
            let claimed = try await drain.store.claim(worker: "doomed-worker", max: 10)
            let job = try #require(claimed.first { $0.kind == AlertJobs.NotifyArgs.kind })
            try await drain.handlers[job.kind]!.run(job)          // sent and recorded; then the process "dies"
            #expect(try await drain.store.rescueStale(olderThan: .zero) >= 1)
            let ran = try await drain.drain()
            #expect(ran.contains(AlertJobs.NotifyArgs.kind), "the rescued job ran again")
            #expect(try await receiver.requests().filter { $0.path == "/once" }.count == 1)
            let ledger = try await client.ledger(ws.slug, key: ws.key, alertID: alert.id)
            #expect(ledger.filter { $0["status"] as? String == "sent" }.count == 1)
        }
    }

    @Test func channelSecretsAreWriteOnlyAndChannelsAreValidated() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let uri = "/v1/workspaces/\(ws.slug)/channels"
            let created = try await client.postJSON(uri, key: ws.key, """
                {"name":"pd","kind":"pagerduty","secrets":{"routing_key":"TOP-SECRET-ROUTING"}}
                """)
            #expect(created["secrets_set"] as? [String] == ["routing_key"])
            let id = created.id
            for reply in [try await client.call(.get, uri, auth: .bearer(ws.key)), try await client.call(.get, "\(uri)/\(id)", auth: .bearer(ws.key))] {
                #expect(reply.status == .ok)
                #expect(!reply.text.contains("TOP-SECRET-ROUTING"))
            }
            // An update without secrets keeps them; with one, replaces it.
            let renamed = try await client.call(.put, "\(uri)/\(id)", auth: .bearer(ws.key), json: #"{"name":"pd-2","kind":"pagerduty","min_severity":"high"}"#)
            #expect(renamed.status == .ok, "\(renamed.text)")
            #expect(renamed.json["secrets_set"] as? [String] == ["routing_key"])
            #expect(renamed.json["min_severity"] as? String == "high")
            let audit = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log", auth: .bearer(ws.key))
            #expect(audit.text.contains("notification_channel.updated"))
            #expect(!audit.text.contains("TOP-SECRET-ROUTING"))

            let invalid = [
                #"{"name":"w","kind":"webhook","url":"ftp://x/y","secrets":{"signing_secret":"0123456789abcdef"}}"#,
                #"{"name":"w","kind":"webhook","url":"http://x/y"}"#,
                #"{"name":"w","kind":"webhook","url":"http://x/y","secrets":{"signing_secret":"short"}}"#,
                #"{"name":"s","kind":"slack"}"#,
                #"{"name":"p","kind":"pagerduty"}"#,
                #"{"name":"e","kind":"email","to":["not an address"],"smtp_host":"h"}"#,
                #"{"name":"e","kind":"email","to":["a@b.example"],"from":"x@y.example"}"#,
                #"{"name":"x","kind":"carrier-pigeon"}"#,
            ]
            for body in invalid {
                try await client.call(.post, uri, auth: .bearer(ws.key), json: body).expectErrorEnvelope(.badRequest, "invalid_request")
            }
            try await client.call(.post, uri, auth: .bearer(ws.key), json: #"{"name":"pd-2","kind":"pagerduty","secrets":{"routing_key":"k"}}"#)
                .expectErrorEnvelope(.conflict, "conflict")

            // In use by a route: cannot be deleted until the route goes.
            let route = try await client.postJSON("/v1/workspaces/\(ws.slug)/routes", key: ws.key, #"{"channel_ids":["\#(id)"]}"#)
            try await client.call(.delete, "\(uri)/\(id)", auth: .bearer(ws.key)).expectErrorEnvelope(.conflict, "conflict")
            #expect(try await client.call(.delete, "/v1/workspaces/\(ws.slug)/routes/\(route.id)", auth: .bearer(ws.key)).status == .noContent)
            #expect(try await client.call(.delete, "\(uri)/\(id)", auth: .bearer(ws.key)).status == .noContent)
            try await client.call(.get, "\(uri)/\(id)", auth: .bearer(ws.key)).expectErrorEnvelope(.notFound, "not_found")

            // Another workspace cannot see the channel nor reference it.
            let other = try await client.createWorkspace()
            let mine = try await client.webhookChannel(ws.slug, key: ws.key, url: "http://127.0.0.1:9/x")
            try await client.call(.get, "/v1/workspaces/\(other.slug)/channels/\(mine)", auth: .bearer(other.key)).expectErrorEnvelope(.notFound, "not_found")
            try await client.call(.post, "/v1/workspaces/\(other.slug)/routes", auth: .bearer(other.key), json: #"{"channel_ids":["\#(mine)"]}"#)
                .expectErrorEnvelope(.badRequest, "invalid_request")
        }
    }
}
