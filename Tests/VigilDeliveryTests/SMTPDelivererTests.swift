import DeliveryTestFixtures
import Foundation
import Testing
import VigilDelivery
import VigilPrimitives

/// SMTPDeliverer against a real aiosmtpd server requiring STARTTLS + AUTH
/// (scripts/peers/smtp_server.py), trusting its self-signed certificate via caFile.
@Suite("SMTPDeliverer")
struct SMTPDelivererTests {
    static let user = "vigil-test"
    static let password = "pa55-Wörd-not-in-errors"

    /// The server runs on 127.0.0.1, which the default egress policy refuses.
    let deliverer = SMTPDeliverer(policy: EgressPolicy(allowList: [IPNetwork("127.0.0.1/32")!]))

    func withServer(_ body: (SMTPPeer) async throws -> Void) async throws {
        let peer = SMTPPeer()
        defer { peer.stop() }
        try await peer.start(username: Self.user, password: Self.password)
        try await body(peer)
    }

    func settings(_ peer: SMTPPeer, password: String = Self.password) -> SMTPSettings {
        SMTPSettings(host: "127.0.0.1", port: peer.port, username: Self.user, password: password,
                     security: .starttls, caFile: peer.certFile, timeout: .seconds(10))
    }

    let message = EmailMessage(
        from: "Vigil Alerts <alerts@vigil.test>",
        to: ["oncall@example.com", "Backup <backup@example.com>"],
        subject: "[FIRING] Disk full on db-1 ✗",
        textBody: "Disk is 99% full on db-1.\n.\nRunbook: https://runbooks.example/disk",
        htmlBody: "<h1>Disk full</h1><p>db-1 is at <b>99%</b></p>",
        extraHeaders: ["X-Vigil-Idempotency-Key": "incident-42-notify-7"])

    @Test func deliversOverStartTLSWithAuthPlain() async throws {
        try await withServer { peer in
            let outcome = await deliverer.send(message, via: settings(peer))
            #expect(outcome.error == nil)
            #expect(outcome.statusCode == 250)
            #expect(outcome.succeeded)

            let messages = try await peer.messages()
            try #require(messages.count == 1)
            let received = messages[0]
            #expect(received.mailFrom == "alerts@vigil.test")
            #expect(received.rcptTos == ["oncall@example.com", "backup@example.com"])
            #expect(received.authUser == Self.user)

            let parsed = ParsedMIME(received.data)
            #expect(RFC2047Decoder.decode(parsed.header("Subject") ?? "") == "[FIRING] Disk full on db-1 ✗")
            #expect(parsed.header("X-Vigil-Idempotency-Key") == "incident-42-notify-7")
            #expect(parsed.header("Message-ID")?.hasSuffix("@vigil.test>") == true)
            let parts = parsed.parts
            try #require(parts.count == 2)
            #expect(parts[0].header("Content-Type") == "text/plain; charset=UTF-8")
            #expect(parts[1].header("Content-Type") == "text/html; charset=UTF-8")
            // The lone "." line survived SMTP's end-of-data handling.
            #expect(QPDecoder.decode(parts[0].body) == "Disk is 99% full on db-1.\r\n.\r\nRunbook: https://runbooks.example/disk")
            #expect(QPDecoder.decode(parts[1].body) == message.htmlBody)
        }
    }

    @Test func wrongPasswordIsRejectedWithoutLeakingIt() async throws {
        try await withServer { peer in
            let wrong = "wrong-Secret-Passw0rd"
            let outcome = await deliverer.send(message, via: settings(peer, password: wrong))
            #expect(!outcome.succeeded)
            let error = try #require(outcome.error)
            #expect(error.contains("authentication failed"), "error: \(error)")
            #expect(outcome.statusCode == 535)
            #expect(!error.contains(wrong))
            #expect(!error.contains(Self.password))
            let received = try await peer.messages()
            #expect(received.isEmpty)
        }
    }

    @Test func untrustedCertificateIsRefused() async throws {
        try await withServer { peer in
            var untrusted = settings(peer)
            untrusted.caFile = nil  // system store does not know the self-signed cert
            let outcome = await deliverer.send(message, via: untrusted)
            #expect(outcome.error == "TLS certificate verification failed")
            let received = try await peer.messages()
            #expect(received.isEmpty)
        }
    }

    @Test func verifyPeerFalseAcceptsSelfSignedCertificate() async throws {
        try await withServer { peer in
            var insecure = settings(peer)
            insecure.caFile = nil
            insecure.verifyPeer = false
            let outcome = await deliverer.send(message, via: insecure)
            #expect(outcome.succeeded, "error: \(outcome.error ?? "nil")")
        }
    }

    @Test func plainTextIsRefusedByServerRequiringStartTLS() async throws {
        try await withServer { peer in
            var plain = settings(peer)
            plain.security = .none
            let outcome = await deliverer.send(message, via: plain)
            #expect(!outcome.succeeded)
            #expect(outcome.error != nil)
            let received = try await peer.messages()
            #expect(received.isEmpty)
        }
    }

    @Test func connectionRefused() async throws {
        let port = try PeerEnvironment.freePort()
        let outcome = await deliverer.send(message, via: SMTPSettings(host: "127.0.0.1", port: port, timeout: .seconds(2)))
        #expect(outcome.error == "connection refused")
        #expect(outcome.statusCode == nil)
    }

    @Test func settingsDescriptionRedactsPassword() {
        let settings = SMTPSettings(host: "smtp.example.com", username: "u", password: "hunter2")
        #expect(!"\(settings)".contains("hunter2"))
    }

    @Test func rejectsMessagesWithoutRecipients() async {
        var empty = message
        empty.to = []
        let outcome = await deliverer.send(empty, via: SMTPSettings(host: "127.0.0.1", port: 1))
        #expect(outcome.error == "no recipients")
    }
}
