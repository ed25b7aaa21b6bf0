import CCurl
import VigilPrimitives

/// One blocking HTTP POST with libcurl. Runs on a BlockingThreadPool thread only.
enum HTTPTransfer {
    static func perform(_ request: OutboundHTTPRequest, policy: EgressPolicy, cancellation: CancellationFlag) -> DeliveryOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        func outcome(_ status: Int?, _ error: String?, _ failure: DeliveryFailure? = nil, _ snippet: String = "") -> DeliveryOutcome {
            DeliveryOutcome(statusCode: status, error: error, failure: failure,
                            durationMilliseconds: (clock.now - start).fractionalMilliseconds,
                            responseSnippet: snippet)
        }

        if cancellation.isCancelled { return outcome(nil, "cancelled", .cancelled) }
        guard let headerLines = headerLines(for: request.headers) else {
            // Never echo the offending header: it may be a secret.
            return outcome(nil, "invalid request header (name or value contains control characters)", .invalidRequest)
        }
        guard let easy = CurlEasy() else { return outcome(nil, "libcurl initialisation failed", .configuration) }
        let capture = ResponseCapture(limit: DeliveryOutcome.responseSnippetLimit)
        let egress = EgressGuard(policy: policy)

        do throws(CurlSetupError) {
            try easy.set(CURLOPT_URL, request.url)
            // Only http(s), for the request and for any redirect (which we do not follow anyway):
            // a webhook URL from user config must not reach file://, gopher://, smtp://...
            try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
            try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
            try easy.set(CURLOPT_FOLLOWLOCATION, false)
            try egress.install(on: easy)
            try easy.applyCommon(timeout: request.timeout, cancellation: cancellation)
            try easy.set(CURLOPT_POST, true)
            try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(request.body.count))
            // COPYPOSTFIELDS copies the bytes now, so no pointer must outlive this scope.
            if request.body.isEmpty {
                try easy.set(CURLOPT_COPYPOSTFIELDS, "")
            } else {
                let status = request.body.withUnsafeBytes { raw in
                    vigil_curl_setopt_pointer(easy.handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress))
                }
                if status != CURLE_OK { throw CurlSetupError(code: status) }
            }
            try easy.set(CURLOPT_HTTPHEADER, list: headerLines)
            try capture.install(on: easy)
        } catch {
            return outcome(nil, "request setup failed: " + String(cString: curl_easy_strerror(error.code)), .configuration)
        }

        let code = withExtendedLifetime((capture, egress)) { withExtendedLifetime(cancellation) { easy.perform() } }
        let status = easy.responseCode
        if code != CURLE_OK {
            let text = CurlErrorText.describe(code, timeoutMs: request.timeout.milliseconds,
                                              osErrno: easy.osErrno, replyCode: nil, refusedByEgress: egress.refused)
            let failure = CurlErrorText.classify(code, osErrno: easy.osErrno, replyCode: nil, refusedByEgress: egress.refused)
            return outcome(status, text, failure, capture.snippet)
        }
        return outcome(status, nil, nil, capture.snippet)
    }

    /// "Name: value" lines, or nil if any header could smuggle extra headers (CR/LF/NUL)
    /// or has an invalid name. Adds defaults curl would otherwise pick badly.
    static func headerLines(for headers: [(name: String, value: String)]) -> [String]? {
        var lines: [String] = []
        var hasContentType = false
        var hasUserAgent = false
        for (name, value) in headers {
            guard isToken(name), !value.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F })
            else { return nil }
            let lower = name.lowercased()
            if lower == "content-type" { hasContentType = true }
            if lower == "user-agent" { hasUserAgent = true }
            // "Name:" with an empty value would make curl *remove* the header; "Name;" sends it empty.
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        // curl defaults to application/x-www-form-urlencoded; every Vigil payload is JSON.
        if !hasContentType { lines.append("Content-Type: application/json") }
        if !hasUserAgent { lines.append("User-Agent: Vigil-Delivery/1") }
        // Disable "Expect: 100-continue", which costs a round trip (or 1 s) on big bodies.
        lines.append("Expect:")
        return lines
    }

    private static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            byte > 0x20 && byte < 0x7F && !"()<>@,;:\\\"/[]?={}".utf8.contains(byte)
        }
    }
}
