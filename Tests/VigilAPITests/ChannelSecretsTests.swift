import DeliveryTestFixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilServices

/// Channel secrets at rest: sealed in the database (a `pg_dump` shows none), still delivered
/// with the right signature, rotated across keys, and legacy plaintext rows read and resealed.
@Suite(.serialized) struct ChannelSecretsTests {
    static func hookIsSigned(_ request: RecordedHTTPRequest, secret: String) -> Bool {
        WebhookSignature.verify(secret: secret, timestampHeader: request.headers["x-vigil-timestamp"],
                                signatureHeader: request.headers["x-vigil-signature"], body: request.body, now: Date()) == .valid
    }

    @Test func pgDumpShowsNoSecretWhileChannelsStillDeliver() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let marker = UUID().uuidString.lowercased().prefix(12)
            let signing = "whsec-dump-\(marker)", routing = "RK-dump-\(marker)", password = "smtp-pw-\(marker)"
            let slackPath = "/slack/T000-\(marker)"
            let uri = "/v1/workspaces/\(ws.slug)/channels"
            _ = try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/hook"), secret: signing)
            _ = try await client.postJSON(uri, key: ws.key, """
                {"name":"pager","kind":"pagerduty","url":"\(receiver.url(path: "/pd"))","secrets":{"routing_key":"\(routing)"}}
                """)
            _ = try await client.postJSON(uri, key: ws.key, """
                {"name":"chat","kind":"slack","secrets":{"webhook_url":"\(receiver.url(path: slackPath))"}}
                """)
            _ = try await client.postJSON(uri, key: ws.key, """
                {"name":"mail","kind":"email","enabled":false,"to":["oncall@example.com"],"from":"vigil@example.com",
                 "smtp_host":"127.0.0.1","smtp_port":2525,"smtp_username":"vigil","secrets":{"smtp_password":"\(password)"}}
                """)

            let dump = try api.pgDump()
            #expect(dump.contains("notification_channels") && dump.contains("v1:test1:"), "the dump holds the sealed rows")
            for plaintext in [signing, routing, password, String(marker)] {
                #expect(!dump.contains(plaintext), "\(plaintext) is readable in pg_dump")
            }

            _ = try await client.raiseAlert(ws.slug, key: ws.key, title: "Sealed", severity: "critical")
            try await AlertJobDrain(api).drain()
            let requests = try await receiver.requests()
            let hook = try #require(requests.first { $0.path == "/hook" })
            #expect(Self.hookIsSigned(hook, secret: signing))
            #expect(requests.first { $0.path == "/pd" }?.jsonObject?["routing_key"] as? String == routing)
            #expect(requests.contains { $0.path == slackPath })
            // Responses name the secrets set, never their values.
            let list = try await client.call(.get, uri, auth: .bearer(ws.key))
            #expect(list.status == .ok && !list.text.contains(signing) && !list.text.contains("v1:test1:"))
        }
    }

    @Test func rotationKeepsDeliveringAndResealMovesRowsToTheNewKey() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run(secretKeyring: TestKeys.k1) { api, client in
            let ws = try await client.createWorkspace()
            let secret = "whsec-rotation-0123456789"
            let id = try await client.webhookChannel(ws.slug, key: ws.key, url: receiver.url(path: "/hook"), secret: secret)
            #expect(try await api.storedSecrets(channelID: id).json.contains("v1:k1:"))

            // Restarted with VIGIL_SECRETS_KEY=k2:...,k1:...: the k1 row still delivers.
            let rotated = try api.restarted(secretKeyring: TestKeys.k2k1)
            _ = try await client.raiseAlert(ws.slug, key: ws.key, title: "Before reseal", labels: ["n": "1"])
            try await AlertJobDrain(rotated).drain()
            #expect(try await receiver.requests().filter { $0.path == "/hook" }.map { Self.hookIsSigned($0, secret: secret) } == [true])

            let summary = try await rotated.services.channelSecretResealer.resealAll()
            #expect(summary.resealed == 1 && summary.channels == 1)
            let stored = try await api.storedSecrets(channelID: id)
            #expect(stored.sealed && stored.json.contains("v1:k2:") && !stored.json.contains("v1:k1:"))
            #expect(try await rotated.services.channelSecretResealer.resealAll().resealed == 0, "already under the primary key")

            // k1 dropped: the resealed row opens under k2 alone ...
            let onlyK2 = try api.restarted(secretKeyring: TestKeys.k2)
            _ = try await client.raiseAlert(ws.slug, key: ws.key, title: "After reseal", labels: ["n": "2"])
            try await AlertJobDrain(onlyK2).drain()
            #expect(try await receiver.requests().filter { $0.path == "/hook" }.map { Self.hookIsSigned($0, secret: secret) } == [true, true])
            // ... and no longer under k1 (the API here still runs with k1 only): a clear 503.
            let update = try await client.call(.put, "/v1/workspaces/\(ws.slug)/channels/\(id)", auth: .bearer(ws.key), json: """
                {"name":"renamed","kind":"webhook","url":"\(receiver.url(path: "/hook"))"}
                """)
            update.expectErrorEnvelope(.serviceUnavailable, "unavailable")
            #expect(update.text.contains("'k2'"))
        }
    }

    @Test func legacyPlaintextRowsDeliverAndResealSealsThem() async throws {
        let receiver = HTTPReceiverPeer()
        _ = try await receiver.start()
        defer { receiver.stop() }
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let secret = "legacy-plaintext-secret-42", id = UUID()
            let spec = #"{"name":"legacy","kind":"webhook","min_severity":"info","enabled":true,"url":"\#(receiver.url(path: "/hook"))"}"#
            let owner = try await api.db.ownerConnection()
            try await owner.execute("""
                INSERT INTO notification_channels (workspace_id, id, name, kind, spec, secrets)
                VALUES (\(UUID(uuidString: ws.id)!), \(id), 'legacy', 'webhook', \(spec)::jsonb, \(#"{"signing_secret":"\#(secret)"}"#)::jsonb)
                """)
            await owner.close()
            #expect(try await api.storedSecrets(channelID: id.uuidString).sealed == false, "rows from before 0011 are plaintext")

            _ = try await client.raiseAlert(ws.slug, key: ws.key, title: "Legacy", labels: ["n": "1"])
            try await AlertJobDrain(api).drain()
            #expect(try await api.services.channelSecretResealer.resealAll().resealed == 1)
            let stored = try await api.storedSecrets(channelID: id.uuidString)
            #expect(stored.sealed && !stored.json.contains(secret))
            _ = try await client.raiseAlert(ws.slug, key: ws.key, title: "Resealed", labels: ["n": "2"])
            try await AlertJobDrain(api).drain()
            #expect(try await receiver.requests().filter { $0.path == "/hook" }.map { Self.hookIsSigned($0, secret: secret) } == [true, true])
        }
    }

    @Test func movingADestinationRequiresReenteringSecrets() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let uri = "/v1/workspaces/\(ws.slug)/channels"
            let hook = try await client.webhookChannel(ws.slug, key: ws.key, url: "https://hooks.example.com/a", name: "hook")
            func put(_ id: String, _ body: String) async throws -> Reply {
                try await client.call(.put, "\(uri)/\(id)", auth: .bearer(ws.key), json: body)
            }
            func expectRefused(_ reply: Reply, field: String) {
                reply.expectErrorEnvelope(.badRequest, "invalid_request")
                #expect(reply.text.contains("changing \(field) requires re-entering secrets"), "\(reply.text)")
                #expect(((reply.json["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String == field, "\(reply.text)")
            }
            expectRefused(try await put(hook, #"{"name":"hook","kind":"webhook","url":"https://attacker.example.net/x"}"#), field: "url")
            expectRefused(try await put(hook, #"{"name":"hook","kind":"pagerduty","url":"https://hooks.example.com/a"}"#), field: "kind")
            // Same destination: the stored secret stays without being re-sent.
            #expect(try await put(hook, #"{"name":"hook-renamed","kind":"webhook","url":"https://hooks.example.com/a","min_severity":"high"}"#).status == .ok)
            // Moved with the secret re-entered: accepted.
            #expect(try await put(hook, """
                {"name":"hook","kind":"webhook","url":"https://hooks.example.com/b","secrets":{"signing_secret":"a-brand-new-secret-0123"}}
                """).status == .ok)

            let mail = try await client.postJSON(uri, key: ws.key, """
                {"name":"mail","kind":"email","to":["a@example.com"],"from":"v@example.com","smtp_host":"smtp.example.com","smtp_username":"u",
                 "secrets":{"smtp_password":"pw-0123"}}
                """).id
            let base = #""name":"mail","kind":"email","to":["a@example.com"],"from":"v@example.com","smtp_username":"u""#
            expectRefused(try await put(mail, "{\(base),\"smtp_host\":\"evil.example.net\"}"), field: "smtp_host")
            expectRefused(try await put(mail, "{\(base),\"smtp_host\":\"smtp.example.com\",\"smtp_port\":25}"), field: "smtp_port")
            expectRefused(try await put(mail, "{\(base),\"smtp_host\":\"smtp.example.com\",\"smtp_security\":\"tls\"}"), field: "smtp_security")
            // Defaults are the same destination: port 587 and starttls spelled out change nothing.
            #expect(try await put(mail, "{\(base),\"smtp_host\":\"SMTP.example.com\",\"smtp_port\":587,\"smtp_security\":\"starttls\"}").status == .ok)
        }
    }

    @Test func passwordsNeverTravelInClear() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let uri = "/v1/workspaces/\(ws.slug)/channels"
            let clear = try await client.call(.post, uri, auth: .bearer(ws.key), json: """
                {"name":"mail","kind":"email","to":["a@example.com"],"from":"v@example.com","smtp_host":"smtp.example.com","smtp_security":"none",
                 "smtp_username":"u","secrets":{"smtp_password":"pw-0123"}}
                """)
            clear.expectErrorEnvelope(.badRequest, "invalid_request")
            #expect(clear.text.contains("smtp_security"))
            // Without a password, an unencrypted relay is allowed (nothing secret goes over it).
            _ = try await client.postJSON(uri, key: ws.key, """
                {"name":"relay","kind":"email","to":["a@example.com"],"from":"v@example.com","smtp_host":"relay.internal.example","smtp_security":"none"}
                """)
        }
    }

    @Test func withoutAKeySecretsAreRefusedClearly() async throws {
        try await TestAPI.run(secretKeyring: nil) { _, client in
            let ws = try await client.createWorkspace()
            let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/channels", auth: .bearer(ws.key), json: """
                {"name":"hook","kind":"webhook","url":"https://hooks.example.com/a","secrets":{"signing_secret":"0123456789abcdef-secret"}}
                """)
            reply.expectErrorEnvelope(.serviceUnavailable, "unavailable")
            #expect(reply.text.contains("VIGIL_SECRETS_KEY") && !reply.text.contains("0123456789abcdef-secret"))
            _ = try await client.postJSON("/v1/workspaces/\(ws.slug)/channels", key: ws.key, """
                {"name":"relay","kind":"email","to":["a@example.com"],"from":"v@example.com","smtp_host":"relay.example.com"}
                """)
        }
    }
}
