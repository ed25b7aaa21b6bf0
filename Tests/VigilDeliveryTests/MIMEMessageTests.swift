import Foundation
import Testing
@testable import VigilDelivery

/// One table row: the input plus what the rendered message must decode back to.
struct MIMECase: CustomTestStringConvertible, Sendable {
    var name: String
    var message: EmailMessage
    var expectedSubject: String
    var expectedText: String
    var expectedHTML: String
    var forbiddenHeaderNames: [String] = []
    var expectedExtraHeaders: [String: String] = [:]
    var testDescription: String { name }
}

let mimeCases: [MIMECase] = [
    MIMECase(
        name: "plain ASCII",
        message: EmailMessage(from: "Vigil <alerts@vigil.test>", to: ["ops@example.com"], subject: "Disk full on db-1",
                              textBody: "Disk is 99% full.\nAct now.", htmlBody: "<p>Disk is <b>99%</b> full.</p>",
                              extraHeaders: ["X-Vigil-Idempotency-Key": "abc-123"]),
        expectedSubject: "Disk full on db-1",
        expectedText: "Disk is 99% full.\r\nAct now.",
        expectedHTML: "<p>Disk is <b>99%</b> full.</p>",
        expectedExtraHeaders: ["X-Vigil-Idempotency-Key": "abc-123"]),
    MIMECase(
        name: "non-ASCII subject and bodies",
        message: EmailMessage(from: "Überwachung <alerts@vigil.test>", to: ["José <jose@example.com>"],
                              subject: "Störung: Datenbank ✗ nicht erreichbar — 数据库不可用 🚨 bitte sofort prüfen",
                              textBody: "Grüße ✓ 🚨", htmlBody: "<p>naïve café</p>"),
        expectedSubject: "Störung: Datenbank ✗ nicht erreichbar — 数据库不可用 🚨 bitte sofort prüfen",
        expectedText: "Grüße ✓ 🚨",
        expectedHTML: "<p>naïve café</p>"),
    MIMECase(
        name: "header injection in subject, from and extra headers",
        message: EmailMessage(from: "alerts@vigil.test\r\nBcc: victim@evil.test", to: ["ops@example.com\nCc: x@evil.test"],
                              subject: "Alert\r\nBcc: attacker@evil.test\r\n\r\nfake body",
                              textBody: "t", htmlBody: "h",
                              extraHeaders: ["X-Note": "a\r\nX-Injected: yes", "Bad Name": "v", "Bad:Name": "v",
                                             "Subject": "override attempt", "content-type": "text/evil"]),
        expectedSubject: "Alert Bcc: attacker@evil.test fake body",
        expectedText: "t",
        expectedHTML: "h",
        forbiddenHeaderNames: ["Bcc", "Cc", "X-Injected", "Bad Name", "Bad"],
        expectedExtraHeaders: ["X-Note": "a X-Injected: yes"]),
    MIMECase(
        name: "long lines, dots and trailing spaces",
        message: EmailMessage(from: "alerts@vigil.test", to: (1...60).map { "user\($0)@example.com" },
                              subject: String(repeating: "very long subject ", count: 80),
                              textBody: String(repeating: "x", count: 3000) + "\n.\n.leading dot\ntrailing space \nFrom here\n= sign",
                              htmlBody: "<div>" + String(repeating: "é", count: 2000) + "</div>"),
        expectedSubject: String(repeating: "very long subject ", count: 80).trimmingCharacters(in: .whitespaces),
        expectedText: String(repeating: "x", count: 3000) + "\r\n.\r\n.leading dot\r\ntrailing space \r\nFrom here\r\n= sign",
        expectedHTML: "<div>" + String(repeating: "é", count: 2000) + "</div>"),
    MIMECase(
        name: "empty bodies and CR-only line endings",
        message: EmailMessage(from: "alerts@vigil.test", to: ["ops@example.com"], subject: "",
                              textBody: "a\rb\r\nc", htmlBody: ""),
        expectedSubject: "",
        expectedText: "a\r\nb\r\nc",
        expectedHTML: ""),
]

@Suite("MIMEMessage.render")
struct MIMEMessageTests {
    static let date = Date(timeIntervalSince1970: 1_741_083_330)  // Tue, 04 Mar 2025 10:15:30 UTC

    func render(_ message: EmailMessage) -> String {
        MIMEMessage.render(message, date: Self.date, messageID: "fixed-id@vigil.test", boundary: "b-0123")
    }

    @Test(arguments: mimeCases)
    func lineEndingsAreCRLFOnlyAndShort(_ testCase: MIMECase) {
        let raw = render(testCase.message)
        let bytes = Array(raw.utf8)
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A { #expect(index > 0 && bytes[index - 1] == 0x0D, "bare LF at \(index)") }
            if byte == 0x0D { #expect(index + 1 < bytes.count && bytes[index + 1] == 0x0A, "bare CR at \(index)") }
        }
        #expect(raw.hasSuffix("\r\n"))
        let lines = raw.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 998 })
        // Our own encoders keep every line within the 78-char recommendation except long single
        // ASCII words; bodies are QP so ≤ 76.
        #expect(lines.filter { $0.utf8.count > 78 }.isEmpty, "lines over 78: \(lines.filter { $0.utf8.count > 78 }.map(\.count))")
        // Everything on the wire is 7-bit: non-ASCII travels encoded.
        #expect(bytes.allSatisfy { $0 < 0x80 })
    }

    @Test(arguments: mimeCases)
    func structureAndDecodedContent(_ testCase: MIMECase) throws {
        let parsed = ParsedMIME(render(testCase.message))
        #expect(parsed.header("MIME-Version") == "1.0")
        #expect(parsed.header("Date") == "Tue, 04 Mar 2025 10:15:30 +0000")
        #expect(parsed.header("Message-ID") == "<fixed-id@vigil.test>")
        #expect(parsed.boundary == "b-0123")
        #expect(parsed.body.contains("\r\n--b-0123--\r\n") || parsed.body.hasSuffix("--b-0123--\r\n"))
        #expect(RFC2047Decoder.decode(parsed.header("Subject") ?? "<missing>") == testCase.expectedSubject)
        if testCase.message.subject.unicodeScalars.contains(where: { !$0.isASCII }) {
            #expect(parsed.header("Subject")?.hasPrefix("=?UTF-8?B?") == true)
        }

        let parts = parsed.parts
        try #require(parts.count == 2)
        #expect(parts[0].header("Content-Type") == "text/plain; charset=UTF-8")
        #expect(parts[1].header("Content-Type") == "text/html; charset=UTF-8")
        #expect(parts.allSatisfy { $0.header("Content-Transfer-Encoding") == "quoted-printable" })
        #expect(QPDecoder.decode(parts[0].body) == testCase.expectedText)
        #expect(QPDecoder.decode(parts[1].body) == testCase.expectedHTML)

        let names = Set(parsed.headers.map { $0.name.lowercased() })
        for forbidden in testCase.forbiddenHeaderNames {
            #expect(!names.contains(forbidden.lowercased()), "injected header \(forbidden)")
        }
        for (name, value) in testCase.expectedExtraHeaders {
            #expect(parsed.header(name) == value)
        }
        // Exactly one of each generated header, whatever extraHeaders tried.
        for name in ["subject", "content-type", "from", "to", "date"] {
            #expect(parsed.headers.filter { $0.name.lowercased() == name }.count == 1, "\(name) count")
        }
    }

    @Test(arguments: mimeCases)
    func deterministic(_ testCase: MIMECase) {
        #expect(render(testCase.message) == render(testCase.message))
    }

    @Test func recipientsAndSenderAreRenderedAsAddresses() {
        let message = EmailMessage(from: "Vigil \"Alerts\" <alerts@vigil.test>", to: ["a@example.com", "B <b@example.com>"],
                                   subject: "s", textBody: "t", htmlBody: "h")
        let parsed = ParsedMIME(render(message))
        #expect(parsed.header("From") == "\"Vigil \\\"Alerts\\\"\" <alerts@vigil.test>")
        #expect(parsed.header("To") == "a@example.com, \"B\" <b@example.com>")
    }

    @Test func boundaryIsChangedWhenBodyContainsIt() {
        let message = EmailMessage(from: "a@vigil.test", to: ["b@example.com"], subject: "s",
                                   textBody: "--b-0123\nsneaky", htmlBody: "h")
        let parsed = ParsedMIME(render(message))
        #expect(parsed.boundary != "b-0123")
        #expect(parsed.parts.count == 2)
        #expect(QPDecoder.decode(parsed.parts[0].body) == "--b-0123\r\nsneaky")
    }

    @Test(arguments: [
        (0.0, "Thu, 01 Jan 1970 00:00:00 +0000"),
        (951_782_400.0, "Tue, 29 Feb 2000 00:00:00 +0000"),
        (-86_400.0, "Wed, 31 Dec 1969 00:00:00 +0000"),
        (4_102_444_799.0, "Thu, 31 Dec 2099 23:59:59 +0000"),
    ])
    func dateFormat(seconds: Double, expected: String) {
        #expect(RFC5322Date.format(Date(timeIntervalSince1970: seconds)) == expected)
    }
}
