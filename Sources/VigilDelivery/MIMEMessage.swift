import Foundation

/// Renders an EmailMessage to the exact bytes handed to the SMTP server.
public enum MIMEMessage {
    /// Header names the renderer owns; `extraHeaders` cannot override or duplicate them.
    static let reservedHeaders: Set<String> = [
        "date", "from", "to", "subject", "message-id", "mime-version",
        "content-type", "content-transfer-encoding",
    ]

    /// multipart/alternative with text/plain and text/html parts, both UTF-8 quoted-printable,
    /// CRLF line endings, Date, Message-ID, MIME-Version, RFC 2047 encoded Subject when non-ASCII.
    /// Header values with CR or LF are sanitised (header injection). Deterministic given date,
    /// messageID and boundary.
    public static func render(_ message: EmailMessage, date: Date, messageID: String, boundary: String) -> String {
        let text = QuotedPrintable.encode(message.textBody)
        let html = QuotedPrintable.encode(message.htmlBody)
        let boundary = safeBoundary(boundary, avoiding: [text, html])

        var lines: [String] = []
        lines.append("Date: " + RFC5322Date.format(date))
        lines.append(MIMEHeader.fold("From:", [EmailAddress(parsing: message.from).headerForm]))
        lines.append(MIMEHeader.fold("To:", message.to.map { EmailAddress(parsing: $0).headerForm }, separator: ","))
        lines.append(MIMEHeader.field("Subject", message.subject))
        lines.append("Message-ID: <" + safeMessageID(messageID) + ">")
        lines.append("MIME-Version: 1.0")
        for (name, value) in message.extraHeaders.sorted(by: { $0.key < $1.key }) {
            guard isValidHeaderName(name), !reservedHeaders.contains(name.lowercased()) else { continue }
            lines.append(MIMEHeader.field(name, value))
        }
        lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
        lines.append("")
        for (subtype, body) in [("plain", text), ("html", html)] {
            lines.append("--" + boundary)
            lines.append("Content-Type: text/\(subtype); charset=UTF-8")
            lines.append("Content-Transfer-Encoding: quoted-printable")
            lines.append("")
            lines.append(body)
        }
        lines.append("--" + boundary + "--")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 5322 field name: printable ASCII except ":" (length capped to keep lines short).
    static func isValidHeaderName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 76 && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x3A }
    }

    /// Keeps RFC 2046 boundary characters, ≤ 70 chars, and lengthens it in the (unlikely)
    /// case that a body already contains it, which would otherwise split the part early.
    static func safeBoundary(_ raw: String, avoiding bodies: [String]) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'()+_,-./:=?".utf8)
        var boundary = String(decoding: raw.utf8.filter { allowed.contains($0) }.prefix(60), as: UTF8.self)
        if boundary.isEmpty { boundary = "vigil-boundary" }
        while boundary.count < 70, bodies.contains(where: { $0.contains("--" + boundary) }) {
            boundary += "_"
        }
        return boundary
    }

    /// Printable ASCII without brackets or spaces, so it cannot break the header.
    static func safeMessageID(_ raw: String) -> String {
        let kept = raw.utf8.filter { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }
        let id = String(decoding: kept.prefix(250), as: UTF8.self)
        return id.isEmpty ? "missing-id@vigil.invalid" : id
    }
}
