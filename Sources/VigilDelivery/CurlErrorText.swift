import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Short, human error strings for delivery logs.
///
/// Built only from the curl code, errno and reply code: never from curl's error buffer
/// or verbose output, which can echo URLs (Slack/webhook URLs embed secrets) or logins.
enum CurlErrorText {
    static func describe(_ code: CURLcode, timeoutMs: Int, osErrno: Int, replyCode: Int?, refusedByEgress: Bool = false) -> String {
        switch code {
        case CURLE_COULDNT_CONNECT where refusedByEgress:
            // Neither the address nor the URL: the class is all anyone needs.
            return DeliveryFailure.destinationNotAllowed.rawValue
        case CURLE_OPERATION_TIMEDOUT:
            return "timed out after \(timeoutMs) ms"
        case CURLE_COULDNT_CONNECT:
            if osErrno == Int(ECONNREFUSED) { return "connection refused" }
            if osErrno != 0 { return "could not connect: \(String(cString: strerror(Int32(osErrno))))" }
            return "could not connect"
        case CURLE_COULDNT_RESOLVE_HOST:
            return "could not resolve host"
        case CURLE_UNSUPPORTED_PROTOCOL:
            return "unsupported URL scheme"
        case CURLE_URL_MALFORMAT:
            return "malformed URL"
        case CURLE_ABORTED_BY_CALLBACK:
            return "cancelled"
        case CURLE_LOGIN_DENIED:
            return "authentication failed" + reply(replyCode)
        case CURLE_USE_SSL_FAILED:
            return "server does not offer STARTTLS"
        case CURLE_PEER_FAILED_VERIFICATION:
            return "TLS certificate verification failed"
        case CURLE_SSL_CONNECT_ERROR:
            return "TLS handshake failed"
        case CURLE_SSL_CACERT_BADFILE:
            return "cannot read CA file"
        case CURLE_GOT_NOTHING:
            return "server closed the connection without replying"
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR:
            // For SMTP, libcurl reports a 4xx/5xx reply to MAIL/RCPT/DATA as a send error.
            if let replyCode, replyCode >= 400 { return "rejected by server (\(replyCode))" }
            return String(cString: curl_easy_strerror(code))
        default:
            return String(cString: curl_easy_strerror(code)) + reply(replyCode)
        }
    }

    /// The generic class of a curl failure, for the ledger. `refusedByEgress` wins over the
    /// connect error libcurl reports when the open-socket callback refused every address.
    static func classify(_ code: CURLcode, osErrno: Int, replyCode: Int?, refusedByEgress: Bool) -> DeliveryFailure {
        switch code {
        case CURLE_COULDNT_CONNECT where refusedByEgress: return .destinationNotAllowed
        case CURLE_OPERATION_TIMEDOUT: return .timeout
        case CURLE_COULDNT_CONNECT: return osErrno == Int(ECONNREFUSED) ? .connectionRefused : .connectFailed
        case CURLE_COULDNT_RESOLVE_HOST: return .dnsFailure
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT: return .invalidRequest
        case CURLE_ABORTED_BY_CALLBACK: return .cancelled
        case CURLE_LOGIN_DENIED: return .authenticationFailed
        case CURLE_USE_SSL_FAILED, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR: return .tlsFailure
        case CURLE_SSL_CACERT_BADFILE: return .configuration
        case CURLE_GOT_NOTHING: return .noReply
        default: return (replyCode ?? 0) >= 400 ? .rejectedByServer : .transferFailed
        }
    }

    private static func reply(_ code: Int?) -> String {
        guard let code else { return "" }
        return " (server replied \(code))"
    }
}
