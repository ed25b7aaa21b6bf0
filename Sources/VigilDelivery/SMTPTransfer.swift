import CCurl
import Foundation
import VigilPrimitives

/// One blocking SMTP submission with libcurl. Runs on a BlockingThreadPool thread only.
enum SMTPTransfer {
    static func perform(_ message: EmailMessage, settings: SMTPSettings, policy: EgressPolicy,
                        cancellation: CancellationFlag) -> DeliveryOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        func outcome(_ status: Int?, _ error: String?, _ failure: DeliveryFailure? = nil) -> DeliveryOutcome {
            DeliveryOutcome(statusCode: status, error: error, failure: failure,
                            durationMilliseconds: (clock.now - start).fractionalMilliseconds,
                            responseSnippet: "", isSMTP: true)
        }

        if cancellation.isCancelled { return outcome(nil, "cancelled", .cancelled) }
        let sender = EmailAddress(parsing: message.from).address
        let recipients = message.to.map { EmailAddress(parsing: $0).address }.filter { !$0.isEmpty }
        guard !sender.isEmpty else { return outcome(nil, "missing sender address", .invalidRequest) }
        guard !recipients.isEmpty else { return outcome(nil, "no recipients", .invalidRequest) }
        guard let url = url(for: settings) else { return outcome(nil, "invalid SMTP host", .invalidRequest) }
        guard let easy = CurlEasy() else { return outcome(nil, "libcurl initialisation failed", .configuration) }
        let egress = EgressGuard(policy: policy)

        let rendered = MIMEMessage.render(
            message, date: Date(), messageID: messageID(from: sender), boundary: "vigil-" + UUID().uuidString)
        let upload = UploadSource(Array(rendered.utf8))

        do throws(CurlSetupError) {
            try easy.set(CURLOPT_URL, url)
            try easy.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
            try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "smtp,smtps")
            try egress.install(on: easy)
            try easy.applyCommon(timeout: settings.timeout, cancellation: cancellation)
            switch settings.security {
            case .starttls, .tls:
                // For smtp:// this makes STARTTLS mandatory (no silent plain-text fallback).
                try easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
            case .none:
                try easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_NONE.rawValue))
            }
            if let caFile = settings.caFile { try easy.set(CURLOPT_CAINFO, caFile) }
            if !settings.verifyPeer {
                try easy.set(CURLOPT_SSL_VERIFYPEER, false)
                try easy.set(CURLOPT_SSL_VERIFYHOST, 0)
            }
            if let username = settings.username {
                try easy.set(CURLOPT_USERNAME, username)
                try easy.set(CURLOPT_PASSWORD, settings.password ?? "")
                try easy.set(CURLOPT_LOGIN_OPTIONS, "AUTH=PLAIN")
            }
            try easy.set(CURLOPT_MAIL_FROM, "<\(sender)>")
            try easy.set(CURLOPT_MAIL_RCPT, list: recipients.map { "<\($0)>" })
            try upload.install(on: easy)
        } catch {
            return outcome(nil, "SMTP setup failed: " + String(cString: curl_easy_strerror(error.code)), .configuration)
        }

        let code = withExtendedLifetime((upload, egress)) { withExtendedLifetime(cancellation) { easy.perform() } }
        let reply = easy.responseCode
        guard code == CURLE_OK else {
            // Built from codes only: the password can never appear here.
            let text = CurlErrorText.describe(code, timeoutMs: settings.timeout.milliseconds,
                                              osErrno: easy.osErrno, replyCode: reply, refusedByEgress: egress.refused)
            let failure = CurlErrorText.classify(code, osErrno: easy.osErrno, replyCode: reply, refusedByEgress: egress.refused)
            return outcome(reply, text, failure)
        }
        return outcome(reply, nil)
    }

    /// smtp://host:port or smtps://host:port; IPv6 literals get brackets.
    static func url(for settings: SMTPSettings) -> String? {
        let host = settings.host
        guard !host.isEmpty, (1...65_535).contains(settings.port),
              !host.contains(where: { $0 == "/" || $0 == "@" || $0 == "?" || $0 == "#" || $0.isWhitespace })
        else { return nil }
        let scheme = settings.security == .tls ? "smtps" : "smtp"
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(hostPart):\(settings.port)"
    }

    /// "<uuid>@<sender domain>", so the ID is globally unique and attributable.
    static func messageID(from sender: String) -> String {
        let domain = sender.split(separator: "@").last.map(String.init) ?? "vigil.invalid"
        return UUID().uuidString.lowercased() + "@" + (domain.isEmpty || !sender.contains("@") ? "vigil.invalid" : domain)
    }
}
