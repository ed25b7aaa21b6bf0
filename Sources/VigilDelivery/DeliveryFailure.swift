/// The generic class of a failed delivery attempt: what the notification ledger shows.
///
/// The ledger is readable by every workspace member, and the destination is chosen by the
/// tenant, so detailed text (response bodies, errno strings, which connect step failed) would
/// turn deliveries into a probe of whatever the worker can reach. The raw values are the only
/// words a tenant ever sees about a failure.
public enum DeliveryFailure: String, Sendable, Equatable, CaseIterable {
    case timeout = "timed out"
    case connectionRefused = "connection refused"
    case connectFailed = "could not connect"
    case dnsFailure = "DNS resolution failed"
    /// The egress policy refused every address the destination resolved to.
    case destinationNotAllowed = "destination address not allowed"
    case tlsFailure = "TLS error"
    case authenticationFailed = "authentication failed"
    case rejectedByServer = "rejected by server"
    case noReply = "no reply from server"
    case cancelled = "cancelled"
    /// Bad URL, scheme, header, address or recipients: fix the channel.
    case invalidRequest = "invalid request"
    /// Operator-side problem (libcurl setup, an unknown or unreadable CA bundle).
    case configuration = "delivery configuration error"
    case transferFailed = "transfer failed"
}
